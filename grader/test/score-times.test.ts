// A score's time only grows for a student. LTI AGS 2.0 (https://www.imsglobal.org/spec/lti-ags/v2p0/#timestamp):
// "timestamp ... MUST be an ISO 8601 date and time with sub-second precision", and a platform must ignore (Moodle:
// answer 409 to) a score whose timestamp is not later than the one it has. So a manual merge or a regrade gets a
// later `timing.modifiedAt` than the document it replaces, even when the clock says otherwise.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { planMerge } from "../src/manual/sheet.js";
import { laterTimestamp, modifiedAt } from "../src/grade/score-document.js";
import { doc } from "./grades-fixture.js";

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

test("laterTimestamp: now when the clock is ahead, one millisecond after the old time when it is not, always with milliseconds", () => {
  assert.is(laterTimestamp("2026-01-01T00:00:00.000Z", new Date("2026-02-01T00:00:00Z")), "2026-02-01T00:00:00.000Z");
  assert.is(laterTimestamp("2026-01-01T00:00:00.000Z", new Date("2026-01-01T00:00:00.000Z")), "2026-01-01T00:00:00.001Z");
  assert.is(laterTimestamp("2099-01-01T00:00:00+02:00", new Date("2026-01-01T00:00:00Z")), "2098-12-31T22:00:00.001Z");
  assert.is(laterTimestamp(undefined, new Date("2026-03-04T05:06:07Z")), "2026-03-04T05:06:07.000Z");
  assert.is(laterTimestamp("not a date", new Date("2026-03-04T05:06:07Z")), "2026-03-04T05:06:07.000Z");
  assert.match(laterTimestamp(undefined), ISO_MS);
});

test("a manual merge moves modifiedAt on for the documents whose scores change, and only for those", () => {
  const alice = doc("alice", { timing: { gradedAt: "2026-01-01T00:00:00.000Z", durationMs: 1, modifiedAt: "2026-01-02T00:00:00.000Z" } });
  const bob = doc("bob");
  const files = [alice, bob].map((d) => ({ path: `students/${d.student}.json`, text: JSON.stringify(d, null, 2) + "\n", doc: d }));
  const sheet = "student,question,max_points,answer,score,comment\nalice,nn-definition,1,,1,good\n";
  // the clock is behind the document's time: the new time is still later
  const plan = planMerge(files, null, sheet, "sheet.csv", new Date("2025-06-01T00:00:00Z"));
  const [a, b] = plan.documents;
  assert.is(a!.timing!.modifiedAt, "2026-01-02T00:00:00.001Z");
  assert.is(a!.timing!.gradedAt, "2026-01-01T00:00:00.000Z", "gradedAt stays the time of grading");
  assert.is(modifiedAt(b!), bob.timing!.gradedAt, "bob's document is not changed");
  // merging the same sheet again changes nothing, so the time stays
  const again = planMerge([{ path: "students/alice.json", text: JSON.stringify(a, null, 2) + "\n", doc: a! }], null, sheet, "sheet.csv", new Date("2027-01-01T00:00:00Z"));
  assert.is(again.documents[0]!.timing!.modifiedAt, "2026-01-02T00:00:00.001Z");
  assert.equal(again.writes, []);
});

test.run();
