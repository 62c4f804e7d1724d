import { join } from "node:path";
import type { TerraformJson } from "../../terraform-json";
import { meterStack } from "../../cli/lib/cost/meter";
import { staleTables } from "../../cli/lib/cost/report";
import { loadCostTables } from "../../cli/lib/cost/tables";

/** test/fixtures/costs/small.yaml: round figures, 1 month = 730 hours, 1 USD = 0.5 EUR. */
const TABLES = loadCostTables(join(__dirname, "..", "fixtures", "costs", "small.yaml"), new Date("2026-06-01T12:00:00Z"));

const meta = (path: string) => ({ "//": { metadata: { path } } });

describe("meterStack", () => {
  it("prices a builder booted from its image by its flavor's local disk, and leaves nothing it cannot price at zero", () => {
    // GIVEN a stack with a builder (m1.small booted from an image), a resource type with no cost rule, and a
    // fleet host whose flavor is not in the table.
    const tf: TerraformJson = {
      resource: {
        openstack_compute_instance_v2: {
          builder_instance: { ...meta("dev-os-a-bake/Builder/Instance"), flavor_name: "m1.small", image_id: "x" },
          web_fleet_instance: { ...meta("dev-os-a/web/Fleet/Instance"), for_each: { "dev-os-a-web-001": {} }, flavor_name: "m9.huge", metadata: { estate_service: "web" } },
        },
        openstack_blockstorage_volume_v3: { data: { ...meta("dev-os-a/Data/Volume"), size: 100 } },
      },
    };
    // WHEN it is metered
    const { items } = meterStack("dev-os-a", tf, TABLES);
    // THEN the builder costs 1 × 0.01 × 730 + 2 × 0.005 × 730 = 14.60 for compute and 20 GiB × 0.05 = 1.00 for its
    // disk; the two others are unpriced, with their address and what to add.
    expect(items.map((i) => [i.address, i.what, i.monthly ?? null, i.unpriced ?? null])).toEqual([
      ["openstack_blockstorage_volume_v3.data", "openstack_blockstorage_volume_v3", null, "no cost rule for resource type openstack_blockstorage_volume_v3"],
      ["openstack_compute_instance_v2.builder_instance", "instance m1.small", 14.6, null],
      ["openstack_compute_instance_v2.builder_instance", "local disk 20 GiB", 1, null],
      ['openstack_compute_instance_v2.web_fleet_instance["dev-os-a-web-001"]', "instance m9.huge", null, 'flavor "m9.huge" is not in flavors.table'],
    ]);
    expect(items[1].servingHost).toBe(false);
    expect(items[3]).toMatchObject({ service: "web", servingHost: true });
  });

  it("prices AWS resources in the stack's provider region, and reports a region or volume type it cannot price", () => {
    const tf = (region: string): TerraformJson => ({
      provider: { aws: [{ region }] },
      resource: {
        aws_instance: { h: { instance_type: "t3.small", root_block_device: { volume_size: 8 }, tags: { "estate:service": "web" } } },
        aws_nat_gateway: { n: {} },
      },
    });
    // 0.02 × 730 = 14.60 USD; the root volume has no volume_type (the AMI decides): unpriced; NAT 0.05 × 730 = 36.50.
    expect(meterStack("dev-aws", tf("eu-west-1"), TABLES).items.map((i) => [i.what, i.monthly ?? i.unpriced])).toEqual([
      ["instance t3.small", 14.6],
      ["root volume 8 GiB", "root volume type comes from the AMI: set volume_type to price it"],
      ["NAT gateway", 36.5],
    ]);
    expect(meterStack("dev-aws", tf("us-east-1"), TABLES).items.map((i) => i.unpriced)).toEqual([
      'aws.regions has no "us-east-1"',
      "root volume type comes from the AMI: set volume_type to price it",
      'aws.regions has no "us-east-1"',
    ]);
  });
});

describe("staleTables", () => {
  it("reports the tables dated more than maxAgeDays before today, with their age", () => {
    // Every table of the fixture is dated 2026-01-15: 137 days before 2026-06-01.
    expect(staleTables(TABLES, new Date("2026-06-01T12:00:00Z"), 137)).toEqual([]);
    expect(staleTables(TABLES, new Date("2026-06-01T12:00:00Z"), 136).map((t) => [t.table, t.ageDays])).toEqual([
      ["exchangeRates", 137],
      ["flavors", 137],
      ["private", 137],
      ["aws", 137],
    ]);
  });
});
