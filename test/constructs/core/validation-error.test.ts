import { Testing, TerraformStack } from "cdktf";
import { ValidationError } from "../../../constructs/core";
import { OpenstackProvider } from "../../../.gen/providers/openstack/provider";
import { OpenstackFloatingVip } from "../../../constructs/openstack";

describe("ValidationError", () => {
  it("is what a construct throws for props it refuses: the construct path, then the detail", () => {
    // GIVEN a plain cdktf stack
    const stack = new TerraformStack(Testing.app(), "site");
    new OpenstackProvider(stack, "openstack", { cloud: "test" });
    // WHEN a construct gets an address that is not one
    let error: unknown;
    try {
      new OpenstackFloatingVip(stack, "Vip", { network: { externalNetworkName: "public" }, address: "198.51.100", loadBalancer: { vipPortId: "p" } });
    } catch (err) {
      error = err;
    }
    // THEN user code catches one class, and reads the path and the detail apart
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      name: "ValidationError",
      constructPath: "site/Vip",
      detail: 'address must be an IPv4 address, got "198.51.100"',
      message: 'site/Vip: address must be an IPv4 address, got "198.51.100"',
    });
  });
});
