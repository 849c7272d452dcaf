// A typed fetch client over the types openapi-typescript generated from our live schema (generated/schema.d.ts).
// Compiled with tsc --strict, then run against a live server: node build/client.js <base URL> <project id> <key>.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

type ApiError = components["schemas"]["Error"];

const [baseUrl, projectId, key] = process.argv.slice(2);
if (!baseUrl || !projectId || !key) throw new Error("usage: client.js <base URL> <project id> <key>");
const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });
const project = { project_id: projectId };
const used = new Set<string>();

function check(condition: boolean, what: string, detail?: unknown): asserts condition {
  if (!condition) throw new Error(`${what}: ${JSON.stringify(detail)}`);
}

function ok<T>(result: { data?: T; error?: unknown; response: Response }, status: number, what: string): T {
  used.add(what);
  check(result.response.status === status, `${what} answered ${result.response.status}`, result.error);
  return result.data as T;
}

const sql = (query: string): components["schemas"]["HogQLQueryRequest"] => ({ kind: "HogQLQuery", query });

// Saved queries: create, list, retrieve, update, delete; /query/ over the view; an error read as Error.
const views = "/api/environments/{project_id}/warehouse_saved_queries/";
const view = ok(
  await api.POST(views, {
    params: { path: project },
    body: { name: "ts_view", query: sql("select event from events") },
  }),
  201,
  "saved query create",
);
check(view.columns.map((column) => column.name).join() === "event", "columns", view.columns);
const listed = ok(await api.GET(views, { params: { path: project } }), 200, "saved query list");
check(listed.results.map((item) => item.name).join() === "ts_view", "list", listed);
const one = { path: { ...project, id: view.id } };
ok(await api.GET(`${views}{id}/`, { params: one }), 200, "saved query retrieve");
const renamed = ok(
  await api.PATCH(`${views}{id}/`, { params: one, body: { name: "ts_renamed" } }),
  200,
  "saved query update",
);
check(renamed.name === "ts_renamed", "rename", renamed);
const result = ok(
  await api.POST("/api/environments/{project_id}/query/", {
    params: { path: project },
    body: { query: { kind: "HogQLQuery", query: "select count() as n from ts_renamed" } },
  }),
  200,
  "query",
);
check(JSON.stringify(result.results) === "[[0]]" && result.columns.join() === "n", "query result", result);
const refused = await api.POST(views, { params: { path: project }, body: { name: "1bad", query: sql("select 1") } });
used.add("error");
const error: ApiError | undefined = refused.error;
check(refused.response.status === 400 && error?.type === "validation_error" && error.attr === "name", "error", error);
ok(await api.DELETE(`${views}{id}/`, { params: one }), 204, "saved query delete");

// Interviews: upload (multipart), list, retrieve, update (JSON), download the recording, delete.
const interviews = "/api/environments/{project_id}/user_interviews/";
const transcript = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ada>Pricing is the main question.\n";
const interview = ok(
  await api.POST(interviews, {
    params: { path: project },
    body: { audio: transcript, interviewee_emails: ["ada@example.com"] },
    bodySerializer(body) {
      const form = new FormData();
      form.append("audio", new Blob([body.audio], { type: "text/vtt" }), "call.vtt");
      for (const email of body.interviewee_emails ?? []) form.append("interviewee_emails", email);
      return form;
    },
  }),
  201,
  "interview create",
);
ok(await api.GET(interviews, { params: { path: project, query: { limit: 5 } } }), 200, "interview list");
const byId = { path: { ...project, id: interview.id } };
const read = ok(await api.GET(`${interviews}{id}/`, { params: byId }), 200, "interview retrieve");
check(read.interviewee_emails?.join() === "ada@example.com", "emails", read);
const edited = ok(
  await api.PATCH(`${interviews}{id}/`, { params: byId, body: { summary: "Edited" } }),
  200,
  "interview update",
);
check(edited.summary === "Edited", "summary", edited);
const audio = await api.GET(`${interviews}{id}/audio/`, { params: byId, parseAs: "text" });
used.add("interview audio");
check(audio.response.status === 200 && audio.data === transcript, "download", audio.data);
ok(await api.DELETE(`${interviews}{id}/`, { params: byId }), 204, "interview delete");

console.log(JSON.stringify({ operations: used.size }));
