import { awsInstanceImdsv2 } from "../../policy";
import { resourceOf, single, stackOf } from "./fixtures";

const check = (config: Record<string, unknown>) => {
  const tf = single("aws_instance", "web", { ami: "ami-0123456789abcdef0", instance_type: "t3.small", ...config });
  return awsInstanceImdsv2.check(resourceOf(tf, "aws_instance", "web"), stackOf(tf, "dev-aws"));
};

describe("EST-AWS-001 instance without IMDSv2", () => {
  it("GIVEN http_tokens required THEN compliant", () => {
    expect(check({ metadata_options: { http_endpoint: "enabled", http_tokens: "required" } })).toEqual({ status: "compliant" });
  });

  it("GIVEN http_tokens optional THEN non-compliant", () => {
    expect(check({ metadata_options: [{ http_tokens: "optional" }] })).toEqual({ status: "non-compliant", detail: 'metadata_options.http_tokens is "optional"' });
  });

  it("GIVEN no metadata_options THEN non-compliant (AWS defaults to optional)", () => {
    expect(check({}).status).toBe("non-compliant");
  });
});
