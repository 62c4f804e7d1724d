import { crossStackReference } from "../../policy";
import { stackOf } from "./fixtures";

describe("EST-STK-001 reference across stacks", () => {
  it("GIVEN references to the stack's own resources, data sources and locals THEN compliant", () => {
    const tf = {
      locals: { subnets: { a: "${aws_subnet.a.id}" }, hosts: { "h-1": { ip: "10.0.0.1" } } },
      data: { aws_ami: { golden: { most_recent: true } } },
      resource: {
        aws_subnet: { a: { vpc_id: "vpc-1", cidr_block: "10.0.0.0/24" } },
        aws_instance: {
          web: { for_each: "${local.hosts}", ami: "${data.aws_ami.golden.id}", subnet_id: "${local.subnets[\"a\"]}", private_ip: "${each.value.ip}" },
        },
      },
      output: { ips: { value: "${[for host_entry in aws_instance.web : host_entry.private_ip]}" } },
    };
    const results = crossStackReference.check(stackOf(tf, "dev-aws"));
    expect(results.filter((r) => r.result.status !== "compliant")).toEqual([]);
    expect(results.map((r) => r.target)).toEqual(["aws_instance.web", "aws_subnet.a", "data.aws_ami.golden", "output.ips", "local.subnets"]);
  });

  it("GIVEN terraform_remote_state THEN non-compliant", () => {
    const tf = { data: { terraform_remote_state: { "cross-stack-reference-input-dev-os-a": { backend: "local", config: { path: "../dev-os-a.tfstate" } } } } };
    expect(crossStackReference.check(stackOf(tf, "dev-os-b"))).toEqual([
      {
        target: "data.terraform_remote_state.cross-stack-reference-input-dev-os-a",
        result: { status: "non-compliant", detail: "reads another stack's state through terraform_remote_state" },
      },
    ]);
  });

  it("GIVEN a reference to a resource the stack does not declare THEN non-compliant", () => {
    const tf = { resource: { openstack_lb_member_v2: { m: { pool_id: "${openstack_lb_pool_v2.web_in_os_a.id}", address: "10.10.1.1" } } } };
    expect(crossStackReference.check(stackOf(tf, "dev-os-b"))).toEqual([
      { target: "openstack_lb_member_v2.m", result: { status: "non-compliant", detail: "openstack_lb_pool_v2.web_in_os_a is not declared in dev-os-b" } },
    ]);
  });
});
