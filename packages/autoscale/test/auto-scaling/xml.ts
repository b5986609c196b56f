/** Query-protocol XML, as Auto Scaling answers (API reference: "Query requests" and each action's response). */
const NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

export type XmlValue = string | number | boolean | Date | null | undefined | XmlValue[] | XmlObject;
export interface XmlObject {
  [key: string]: XmlValue;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function render(value: XmlValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${render(v)}</member>`).join("");
  if (typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${render(v)}</${k}>`)
      .join("");
  }
  return escapeXml(String(value));
}

export function successXml(action: string, result: XmlObject | null): string {
  const body = result ? `<${action}Result>${render(result)}</${action}Result>` : "";
  return `<${action}Response xmlns="${NAMESPACE}">${body}<ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></${action}Response>`;
}

export function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`;
}

/** `Prefix.member.N` (and `Prefix.member.N.Field`) form fields back into a list. */
export function memberList(
  form: Record<string, string>,
  prefix: string,
): Array<Record<string, string>> {
  const items: Record<number, Record<string, string>> = {};
  const pattern = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.member\\.(\\d+)(?:\\.(.+))?$`);
  for (const [key, value] of Object.entries(form)) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const item = items[index] ?? {};
    items[index] = item;
    item[match[2] ?? ""] = value;
  }
  return Object.keys(items)
    .map(Number)
    .sort((a, b) => a - b)
    .map((n) => items[n]!);
}
