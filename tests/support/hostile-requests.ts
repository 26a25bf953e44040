// A generated corpus of hostile requests: each one must be answered with a GraphQL error that
// carries a code. Deterministic (seeded), so a failure names a request that can be replayed.

export interface HostileRequest {
  kind: string;
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  /** Encoded once, when the corpus is built: both engines are sent the same bytes. */
  body?: Uint8Array<ArrayBuffer>;
}

/** A request as the generators write it: a body may still be text. */
type Draft = Omit<HostileRequest, "body"> & { body?: string | Uint8Array<ArrayBuffer> };

/** mulberry32: a small seeded generator, so the corpus is the same on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

const json = { "content-type": "application/json", accept: "application/graphql-response+json" };

function post(kind: string, body: unknown, headers: Record<string, string> = json): Draft {
  return {
    kind,
    method: "POST",
    path: "/graphql",
    headers,
    body: typeof body === "string" || body instanceof Uint8Array ? (body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(body),
  };
}

const connections = ["departments", "projects", "municipalities", "beneficiaryGroups", "documents", "fiscalYears"];

/**
 * Generates `perKind` requests of each kind. `cursors` are real cursors of other lists, used as
 * foreign cursors; `ids` are real global IDs, used to build over-long ID lists.
 */
export function hostileRequests(options: HostileOptions): HostileRequest[] {
  // Both engines hold the same ids, so the second asks for the corpus the first built (~1 CPU-s).
  const key = JSON.stringify(options);
  if (last?.key !== key) last = { key, corpus: buildHostileRequests(options) };
  return last.corpus;
}

/** Lets the last corpus (tens of MB of bodies) go, for the files a worker runs next. */
export function forgetHostileRequests(): void {
  last = undefined;
}

type HostileOptions = { perKind: number; seed?: number; ids: string[]; foreignCursor: string };
let last: { key: string; corpus: HostileRequest[] } | undefined;

function buildHostileRequests(options: HostileOptions): HostileRequest[] {
  const r = random(options.seed ?? 20261127);
  const { perKind } = options;
  const out: HostileRequest[] = [];
  const repeat = (kind: string, make: (i: number) => Draft | Draft[]) => {
    for (let i = 0; i < perKind; i++) {
      const made = make(i);
      for (const { body, ...request } of Array.isArray(made) ? made : [made]) {
        out.push({ ...request, kind, ...(body === undefined ? {} : { body: typeof body === "string" ? new Uint8Array(Buffer.from(body)) : body }) });
      }
    }
  };

  repeat("deep nesting", () => {
    const depth = r.pick([16, 20, 50, 200, 1_000, 2_400]);
    if (depth > 100) return post("", { query: `{ ${"a { ".repeat(depth)}b${" }".repeat(depth)} }` });
    return post("", { query: `{ projects(first: 1) { nodes { ${"parent { ".repeat(depth)}name${" }".repeat(depth)} } } }` });
  });

  repeat("alias flood", () => {
    const n = r.int(31, 2_400);
    const field = r.pick(["__typename", "departments(first: 100) { totalCount }", 'municipality(code: "431001") { name }']);
    return post("", { query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }` });
  });

  repeat("fragment cycle", () => {
    const n = r.int(1, 12);
    const fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on Query { __typename ...F${(i + 1) % n} }`).join(" ");
    return post("", { query: `query { ...F0 } ${fragments}` });
  });

  repeat("fragment bomb", () => {
    const levels = r.int(12, 60);
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Query { x: __typename }` : `fragment F${i} on Query { ...F${i + 1} y${i}: __typename ...F${i + 1} }`,
    ).join(" ");
    return post("", { query: `query { ...F0 } ${fragments}` });
  });

  repeat("cost flood", () => {
    // n + n² + n³ > 500,000 from n = 80 on.
    const size = r.int(80, 100);
    const inner = r.pick(["usage", "beneficiaries", "lineItems"]);
    return post("", {
      query: `{ departments(first: ${size}) { nodes { projects(first: ${size}) { nodes { ${inner}(first: ${size}) { nodes { __typename } } } } } } }`,
    });
  });

  repeat("huge ID list", () => {
    const length = r.pick([101, 500, 2_000, 20_000]);
    const ids = Array.from({ length }, (_, i) => (i % 3 === 0 ? r.pick(options.ids) : Buffer.from(`Project:${r.int(0, 1e9)}`).toString("base64")));
    return post("", { query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", variables: { ids } });
  });

  repeat("invalid cursor", (i) => {
    const cursors = [
      Buffer.from(`garbage-${r.next()}`).toString("base64url"),
      Buffer.from(JSON.stringify({ o: "x", v: [r.int(0, 9)] })).toString("base64url"),
      Buffer.from(JSON.stringify({ o: "order:asc,key:asc", v: ["'; drop table project; --", { $gt: 1 }] })).toString("base64url"),
      options.foreignCursor,
      "!!not base64!!",
      "A".repeat(r.int(4_097, 20_000)),
      "",
    ];
    const cursor = cursors[i % cursors.length]!;
    const argument = r.pick(["after", "before"]);
    const list = r.pick(["projects", "departments"]);
    if (cursor === "") return post("", { query: `query($c: String!) { ${list}(first: 2, ${argument}: $c) { nodes { __typename } } }`, variables: { c: "%" } });
    return post("", { query: `query($c: String!) { ${list}(first: 2, ${argument}: $c) { nodes { __typename } } }`, variables: { c: cursor } });
  });

  repeat("bad page size", () => {
    const value = r.pick<unknown>([101, -1, 1e10, 2 ** 31, "ten", 1.5, true, null]);
    const list = r.pick(connections);
    if (value === null) return post("", { query: `{ ${list}(first: 1, last: 1) { nodes { __typename } } }` });
    return post("", { query: `query($n: Int) { ${list}(first: $n) { nodes { __typename } } }`, variables: { n: value } });
  });

  repeat("malformed JSON", (i) => {
    const valid = JSON.stringify({ query: "{ departments(first: 1) { nodes { name } } }" });
    const bodies = [
      valid.slice(0, r.int(1, valid.length - 1)),
      "null",
      "[]",
      '"just a string"',
      String(r.int(0, 1e6)),
      '{"query": 5}',
      '{"query": "{ __typename }", "variables": "not an object"}',
      '{"query": "{ __typename }", "extensions": [1]}',
      `${"[".repeat(100_00)}${"]".repeat(100_00)}`,
      '{"query": "{ __typename }", "unexpected": 1}',
      "\u0000\u0001\u0002",
      "",
    ];
    return post("", bodies[i % bodies.length]!);
  });

  repeat("wrong content type", (i) => {
    const types = [
      "text/plain",
      "application/xml",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
      "application/jsonp",
      "image/png",
      "json",
    ];
    const type = types[i % types.length]!;
    const headers: Record<string, string> = { accept: "application/graphql-response+json" };
    if (type) headers["content-type"] = type;
    return post("", type.startsWith("application/x-www") ? "query=%7B__typename%7D" : JSON.stringify({ query: "{ __typename }" }), headers);
  });

  repeat("giant variables", () => {
    const size = r.pick([120_000, 500_000, 2_000_000]);
    return post("", { query: "query($c: String!) { municipality(code: $c) { name } }", variables: { c: "9".repeat(size) } });
  });

  repeat("invalid UTF-8", () => {
    const invalid = r.pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]);
    const before = Buffer.from('{"query":"{ municipality(code: \\"43');
    const after = Buffer.from('\\") { name } }"}');
    return post("", new Uint8Array([...before, ...invalid, ...after]));
  });

  repeat("unknown operation name", () => {
    const name = r.pick(["Nope", "", "A".repeat(r.int(1, 5_000)), "__schema", "query", "💥"]);
    return post("", { query: "query A { __typename } query B { __typename }", operationName: name });
  });

  repeat("method or accept", (i) => {
    const variants: Draft[] = [
      { kind: "", method: "PUT", path: "/graphql", headers: json, body: JSON.stringify({ query: "{ __typename }" }) },
      { kind: "", method: "DELETE", path: "/graphql", headers: json },
      { kind: "", method: "PATCH", path: "/graphql", headers: json, body: "{}" },
      { kind: "", method: "GET", path: `/graphql?query=${encodeURIComponent("mutation { x }")}`, headers: { accept: "application/json" } },
      { kind: "", method: "GET", path: "/graphql?query=%7B%20__typename%20%7D&variables=%7Bbroken", headers: { accept: "application/json" } },
      { kind: "", method: "GET", path: "/graphql?query=%FF%FE%7B", headers: { accept: "application/json" } },
      post("", { query: "{ __typename }" }, { "content-type": "application/json", accept: "text/html" }),
      post("", [{ query: "{ __typename }" }, { query: "{ __typename }" }]),
    ];
    return variants[i % variants.length]!;
  });

  repeat("syntax and validation garbage", () => {
    const alphabet = ["{", "}", "(", ")", ":", "$", "@", "...", "query", "fragment", "on", "departments", '"', "#", "!", "[", "]", "=", "1", "x"];
    const soup = Array.from({ length: r.int(1, 300) }, () => r.pick(alphabet)).join(" ");
    const variants = [
      soup,
      `{ ${"__typename ".repeat(r.int(5_001, 8_000))}}`,
      `{ ${Array.from({ length: r.int(51, 400) }, () => "__typename @include(if: true)").join(" ")} }`,
      `{ nothingHere${r.int(0, 999)} { id } }`,
      `{ departments(first: 1) { nodes { name { deeper } } } }`,
      `{ __schema { types { fields { args { type { fields { args { type { enumValues { name } } } } } } } } } }`,
      `subscription { departments { totalCount } }`,
    ];
    return post("", { query: r.pick(variants) });
  });

  return out;
}
