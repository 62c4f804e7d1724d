/**
 * The committed, reviewed output of the bundled environments: every stack's `cdk.tf.json` and every inventory,
 * synthesized by the real CLI, equal byte for byte to the files under `test/snapshots/`.
 *
 * A change to the output shows up here as a failed test and, once accepted, as a reviewable diff of the snapshot
 * files in the pull request. To accept a change on purpose, read `estate diff` first, then run
 * `npx vitest run test/system/bundled-environments.test.ts -u` and review the snapshot diff like code. In CI
 * (`CI=true`) a missing snapshot is a failure, never written.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { estate, PROJECT, removeTempDirs, tempDir } from "../cli/estate";
import { listFiles } from "../support/tree";

const SNAPSHOTS = join(PROJECT, "test", "snapshots");
const SNAPSHOTTED = /^(stacks\/[^/]+\/cdk\.tf\.json|ansible\/[^/]+\/inventory\.yml)$/;

describe("bundled environments: output equals the committed snapshots", () => {
  const out = join(tempDir("estate-snapshots-"), "cdktf.out");
  let files: string[] = [];

  beforeAll(() => {
    const run = estate(["synth", "--env", "dev", "--env", "prod", "--out", out]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    files = listFiles(out).filter((f) => SNAPSHOTTED.test(f));
  });
  afterAll(removeTempDirs);

  it("covers every stack and inventory of dev and prod", () => {
    expect(files).toEqual([
      "ansible/dev/inventory.yml",
      "ansible/prod/inventory.yml",
      "stacks/dev-aws/cdk.tf.json",
      "stacks/dev-os-a/cdk.tf.json",
      "stacks/dev-os-b/cdk.tf.json",
      "stacks/dev-os-c/cdk.tf.json",
      "stacks/dev-traffic/cdk.tf.json",
      "stacks/prod-aws/cdk.tf.json",
      "stacks/prod-os-a-bake/cdk.tf.json",
      "stacks/prod-os-a/cdk.tf.json",
      "stacks/prod-os-b-bake/cdk.tf.json",
      "stacks/prod-os-b/cdk.tf.json",
      "stacks/prod-os-c-bake/cdk.tf.json",
      "stacks/prod-os-c/cdk.tf.json",
      "stacks/prod-traffic/cdk.tf.json",
    ]);
  });

  it("every file equals its snapshot", async () => {
    for (const file of files) {
      await expect(readFileSync(join(out, file), "utf8")).toMatchFileSnapshot(join(SNAPSHOTS, file));
    }
  });
});
