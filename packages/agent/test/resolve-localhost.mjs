// Preloaded into the benchmarked agent: resolves *.localhost (fauxqs's queue
// URL hosts) to 127.0.0.1, as systemd-resolved would, on machines whose
// resolver does not. Costs no measurable memory.
import dns from "node:dns";

const lookup = dns.lookup;
dns.lookup = (hostname, options, callback) => {
  if (typeof hostname === "string" && hostname.endsWith(".localhost")) {
    const done = typeof options === "function" ? options : callback;
    const all = typeof options === "object" && options?.all;
    return process.nextTick(() =>
      all ? done(null, [{ address: "127.0.0.1", family: 4 }]) : done(null, "127.0.0.1", 4),
    );
  }
  return lookup(hostname, options, callback);
};
