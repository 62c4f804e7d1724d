import { awsEbsEncryption } from "../../policy";
import { resourceOf, single, stackOf } from "./fixtures";

const check = (type: string, config: Record<string, unknown>) => {
  const tf = single(type, "x", config);
  return awsEbsEncryption.check(resourceOf(tf, type, "x"), stackOf(tf, "dev-aws"));
};

describe("EST-AWS-002 unencrypted EBS volume", () => {
  it("GIVEN an instance with an encrypted root volume THEN compliant", () => {
    expect(check("aws_instance", { root_block_device: { encrypted: true, volume_size: 20 } })).toEqual({ status: "compliant" });
  });

  it("GIVEN an instance without root_block_device THEN non-compliant", () => {
    expect(check("aws_instance", {}).status).toBe("non-compliant");
  });

  it("GIVEN an encrypted root but an unencrypted extra EBS volume THEN non-compliant, naming the device", () => {
    expect(check("aws_instance", { root_block_device: [{ encrypted: true }], ebs_block_device: [{ device_name: "/dev/sdf", volume_size: 100 }] })).toEqual({
      status: "non-compliant",
      detail: "ebs_block_device[0] (/dev/sdf) is not encrypted",
    });
  });

  it("GIVEN a standalone volume THEN encrypted is required", () => {
    expect(check("aws_ebs_volume", { availability_zone: "eu-west-1a", size: 10, encrypted: true })).toEqual({ status: "compliant" });
    expect(check("aws_ebs_volume", { availability_zone: "eu-west-1a", size: 10 })).toEqual({ status: "non-compliant", detail: "encrypted is not true" });
  });
});
