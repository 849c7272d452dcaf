// Drives PostHog's @posthog/agent-toolkit, unchanged, against the server at POSTHOG_API_BASE_URL with the key in
// POSTHOG_PERSONAL_API_KEY (HOGQL_QUERY: the SQL to run; SWITCH_PROJECT_ID, optional: a project to switch to
// last). Prints one JSON object: each operation's outcome ({ok, value} or {ok: false, error}).
// The pytest side (tests/clients/test_posthog_toolkit.py) checks the values against the server's own data.
import { PostHogAgentToolkit } from "@posthog/agent-toolkit/tools";

const baseUrl = process.env.POSTHOG_API_BASE_URL;
const apiToken = process.env.POSTHOG_PERSONAL_API_KEY;
const hogql = process.env.HOGQL_QUERY;
if (!baseUrl || !apiToken || !hogql) {
  console.error("POSTHOG_API_BASE_URL, POSTHOG_PERSONAL_API_KEY and HOGQL_QUERY are required");
  process.exit(2);
}

const toolkit = new PostHogAgentToolkit({ posthogApiToken: apiToken, posthogApiBaseUrl: baseUrl });
const context = toolkit.getContext();
const report = {};

async function attempt(name, operation) {
  try {
    report[name] = { ok: true, value: await operation() };
  } catch (error) {
    report[name] = { ok: false, error: String(error?.message ?? error) };
  }
}

// The toolkit's API client answers {success, data | error}; unwrap it so a failure carries its message.
async function unwrap(result) {
  const outcome = await result;
  if (!outcome.success) throw outcome.error;
  return outcome.data;
}

function parseText(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text; // some tools answer in prose, e.g. "Switched to project 2"
  }
}

// As PostHog's MCP server calls a tool: validate the arguments with the tool's schema, then run its handler.
async function callTool(tools, name, args) {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`getTools() has no ${name}`);
  const result = await tool.handler(context, tool.schema.parse(args));
  return result.content.map((part) => parseText(part.text));
}

let tools = [];
await attempt("getTools", async () => {
  tools = await toolkit.getTools();
  return tools.map((tool) => tool.name);
});
await attempt("users.me", () => unwrap(context.api.users().me()));
await attempt("apiKeys.current", () => unwrap(context.api.apiKeys().current()));
await attempt("default project", () => context.stateManager.getProjectId());
await attempt("default organization", () => context.stateManager.getOrgID());
await attempt("organizations.list", () => unwrap(context.api.organizations().list()));
await attempt("projects.get", async () =>
  unwrap(context.api.projects().get({ projectId: await context.stateManager.getProjectId() })),
);
await attempt("query.execute HogQLQuery", async () => {
  const projectId = await context.stateManager.getProjectId();
  const data = await unwrap(
    context.api.query({ projectId }).execute({ queryBody: { kind: "HogQLQuery", query: hogql } }),
  );
  return data.results;
});
await attempt("tool query-run", () =>
  callTool(tools, "query-run", {
    query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: hogql } },
  }),
);
await attempt("tool query-run TrendsQuery", () =>
  callTool(tools, "query-run", {
    query: {
      kind: "InsightVizNode",
      source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview", custom_name: "Views" }] },
    },
  }),
);
await attempt("tool projects-get", () => callTool(tools, "projects-get", {}));
await attempt("tool organizations-get", () => callTool(tools, "organizations-get", {}));
await attempt("tool organization-details-get", () => callTool(tools, "organization-details-get", {}));

const switchTo = process.env.SWITCH_PROJECT_ID;
if (switchTo) {
  await attempt("tool switch-project", () => callTool(tools, "switch-project", { projectId: Number(switchTo) }));
  await attempt("tool query-run after switch-project", () =>
    callTool(tools, "query-run", {
      query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: hogql } },
    }),
  );
}

process.stdout.write(JSON.stringify(report));
