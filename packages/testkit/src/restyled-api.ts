import Docker from "dockerode";
import type { HttpStandIn, RecordedRequest } from "./http-stand-in.js";
import { sendJson, startHttpStandIn } from "./http-stand-in.js";

/** A machine as restyled.io's admin API returns it. */
export interface Machine {
  id: number;
  name: string;
  enabled: boolean;
  host: string;
  caCert: string;
  cert: string;
  key: string;
  jobCount: number;
  reconciling: boolean;
}

export interface RestyledApiStandIn extends HttpStandIn {
  /** The registry's current machines, by id. */
  machines: Map<number, Machine>;
  /** What `GET /admin/machines/state` reports as `queueDepth`. */
  queueDepth: number | null;
  /**
   * Adds a machine as if registered earlier, skipping `docker info`: its
   * `enabled` and `jobCount` are what the test says (for fleets whose daemons
   * are not real). `/admin/machines/state` lists it only while enabled, as
   * restyled.io does, with its `jobCount`.
   */
  seedMachine(fields: Partial<Omit<Machine, "id">> & { name: string }): Machine;
}

/**
 * A stand-in for restyled.io's machine registry (`/admin/machines`), built to
 * the contract in ARCHITECTURE.md: a wrong or missing token gets 404, and a
 * registered machine is `enabled` only if `docker info` against its host with
 * its certificates works, as restyled.io does.
 */
export async function startRestyledApi(options: { token: string }): Promise<RestyledApiStandIn> {
  const machines = new Map<number, Machine>();
  let nextId = 1;
  const state = { queueDepth: null as number | null };
  const seeded = new Set<number>();

  const standIn = await startHttpStandIn(async (request, response) => {
    if (request.headers.authorization !== `token ${options.token}`) {
      return sendJson(response, 404, { error: "Not Found" });
    }
    if (!String(request.headers.accept ?? "").includes("application/json")) {
      return sendJson(response, 406, { error: "Accept must be application/json" });
    }
    const path = new URL(request.url, "http://stand-in").pathname;
    const idMatch = /^\/admin\/machines\/(\d+)$/.exec(path);
    const machine = idMatch ? machines.get(Number(idMatch[1])) : undefined;

    if (path === "/admin/machines" && request.method === "GET") {
      return sendJson(response, 200, [...machines.values()]);
    }
    if (path === "/admin/machines" && request.method === "POST") {
      const body = readJsonBody(request);
      const missing = ["name", "host", "certificateAuthority", "certificate", "privateKey"].filter(
        (field) => typeof body?.[field] !== "string" || body[field] === "",
      );
      if (!body || missing.length > 0) {
        return sendJson(response, 400, { error: `missing fields: ${missing.join(", ")}` });
      }
      if ([...machines.values()].some((m) => m.name === body.name)) {
        return sendJson(response, 409, { error: `machine ${body.name} exists` });
      }
      const created: Machine = {
        id: nextId++,
        name: String(body.name),
        host: String(body.host),
        caCert: String(body.certificateAuthority),
        cert: String(body.certificate),
        key: String(body.privateKey),
        enabled: false,
        jobCount: 0,
        reconciling: false,
      };
      created.enabled = await dockerInfoWorks(created);
      machines.set(created.id, created);
      return sendJson(response, 201, created);
    }
    if (path === "/admin/machines/state" && request.method === "GET") {
      const jobCounts: Record<string, number> = {};
      for (const m of machines.values()) {
        if (!seeded.has(m.id)) jobCounts[m.name] = await countRestylers(m);
        else if (m.enabled) jobCounts[m.name] = m.jobCount;
      }
      return sendJson(response, 200, {
        queueDepth: state.queueDepth,
        jobCounts,
        containerProcesses: {},
      });
    }
    if (idMatch && !machine) return sendJson(response, 404, { error: "Not Found" });
    if (machine && request.method === "GET") return sendJson(response, 200, machine);
    if (machine && request.method === "PATCH") {
      const body = readJsonBody(request);
      if (typeof body?.enabled !== "boolean") {
        return sendJson(response, 400, { error: "enabled must be a boolean" });
      }
      machine.enabled = body.enabled;
      return sendJson(response, 200, machine);
    }
    if (machine && request.method === "DELETE") {
      machines.delete(machine.id);
      return sendJson(response, 204, undefined);
    }
    return sendJson(response, 404, { error: "Not Found" });
  });

  return Object.assign(standIn, {
    machines,
    seedMachine(fields: Partial<Omit<Machine, "id">> & { name: string }): Machine {
      const machine: Machine = {
        host: "tcp://seeded.invalid:2376",
        caCert: "",
        cert: "",
        key: "",
        enabled: true,
        jobCount: 0,
        reconciling: false,
        ...fields,
        id: nextId++,
      };
      machines.set(machine.id, machine);
      seeded.add(machine.id);
      return machine;
    },
    get queueDepth() {
      return state.queueDepth;
    },
    set queueDepth(value: number | null) {
      state.queueDepth = value;
    },
  });
}

function readJsonBody(request: RecordedRequest): Record<string, unknown> | undefined {
  if (!String(request.headers["content-type"] ?? "").startsWith("application/json"))
    return undefined;
  try {
    const parsed: unknown = JSON.parse(request.body.toString("utf8"));
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function dockerFor(machine: Machine): Docker {
  const url = new URL(machine.host.replace(/^tcp:/, "https:"));
  return new Docker({
    host: url.hostname,
    port: Number(url.port || 2376),
    protocol: "https",
    ca: machine.caCert,
    cert: machine.cert,
    key: machine.key,
    timeout: 5_000,
  });
}

async function dockerInfoWorks(machine: Machine): Promise<boolean> {
  try {
    await dockerFor(machine).info();
    return true;
  } catch {
    return false;
  }
}

async function countRestylers(machine: Machine): Promise<number> {
  try {
    const running = await dockerFor(machine).listContainers({ filters: { label: ["restyler"] } });
    return running.length;
  } catch {
    return 0;
  }
}
