import { Testing } from "cdktf";
import { loadEnvironment, type EstateModel } from "../../model";
import { AwsSiteStack } from "../../stacks/aws-site-stack";
import { DEV_ENV, devModel } from "../support/env";
import { instancesOf, resourcesOf, synthJson } from "../support/synth";

/** GIVEN the AWS site stack of an estate, synthesized to JSON. */
function synthAws(estate: EstateModel): any {
  const stack = new AwsSiteStack(Testing.app(), estate, estate.awsSite!);
  return synthJson(stack);
}

const WORLD = ["0.0.0.0/0", "::/0"];

describe("AwsSiteStack (dev estate)", () => {
  const estate = loadEnvironment(DEV_ENV);
  const site = estate.awsSite!;
  const tf = synthAws(estate);

  it("is one stack per site, named by the model, with its own local state", () => {
    const stack = new AwsSiteStack(Testing.app(), estate, site);
    expect(stack.node.id).toBe("dev-aws");
    expect(tf.terraform.backend.local.path).toBe("../../../terraform-state/dev-aws.tfstate");
    expect(tf.terraform.required_providers.aws.version).toBe("5.100.0");
  });

  it("configures exactly one AWS provider by region and profile, with default tags and never keys", () => {
    expect(tf.provider.aws).toEqual([
      { region: "eu-west-1", profile: "estate-dev", default_tags: [{ tags: { "estate:env": "dev", "estate:site": "aws" } }] },
    ]);
    const text = JSON.stringify(tf);
    for (const secret of ["access_key", "secret_key", "token", "shared_credentials"]) expect(text).not.toContain(`"${secret}`);
  });

  it("assumes the model's role when one is set", () => {
    const withRole = devModel((env) => (env.sites.aws.assumeRoleArn = "arn:aws:iam::123456789012:role/estate-deploy"));
    expect(synthAws(withRole).provider.aws[0].assume_role).toEqual([{ role_arn: "arn:aws:iam::123456789012:role/estate-deploy", session_name: "estate-dev-aws" }]);
  });

  it("registers the public key as the key pair every instance uses", () => {
    expect(resourcesOf(tf, "aws_key_pair").key_pair).toEqual({ key_name: "estate-admin", public_key: estate.ssh.publicKey });
    for (const i of instancesOf(tf, "aws_instance")) expect(i.body.key_name).toBe("${aws_key_pair.key_pair.key_name}");
    const noKey = synthAws(devModel((env) => delete env.ssh.publicKey));
    expect(resourcesOf(noKey, "aws_key_pair")).toEqual({});
    for (const i of instancesOf(noKey, "aws_instance")) expect(i.body.key_name).toBe("estate-admin");
  });

  it("renders each fleet as one for_each resource over a literal host map keyed by host name", () => {
    const instances = resourcesOf(tf, "aws_instance");
    expect(Object.keys(instances).sort()).toEqual(["api_fleet_instances", "web_fleet_instances"]);
    expect(instances.web_fleet_instances.for_each).toBe("${local.hosts_web}");
    expect(instances.web_fleet_instances.private_ip).toBe("${each.value.ip}");
    expect(instances.web_fleet_instances.subnet_id).toBe("${local.network_private_subnet_by_zone[each.value.zone]}");
    expect(instances.web_fleet_instances.tags).toEqual({
      Name: "${each.key}",
      "estate:env": "dev",
      "estate:site": "aws",
      "estate:service": "web",
      "estate:image": "debian12",
      "estate:version": "${each.value.version}",
    });
    for (const placed of site.services) {
      const expected = Object.fromEntries(placed.hosts.map((h) => [h.name, { ip: h.ip, zone: h.availabilityZone, version: "2026.11.1" }]));
      expect(tf.locals[`hosts_${placed.service.name}`]).toEqual(expected);
    }
    expect(tf.locals.network_private_subnet_by_zone).toEqual({
      "eu-west-1a": "${aws_subnet.network_eu_west_1a_private_subnet.id}",
      "eu-west-1b": "${aws_subnet.network_eu_west_1b_private_subnet.id}",
      "eu-west-1c": "${aws_subnet.network_eu_west_1c_private_subnet.id}",
    });
  });

  it("requires IMDSv2, encrypts gp3 root volumes of the service's size and gives no instance a public IP", () => {
    const instances = instancesOf(tf, "aws_instance");
    expect(instances).toHaveLength(site.services.reduce((n, s) => n + s.hosts.length, 0));
    for (const { key, body } of instances) {
      const service = estate.services.find((s) => s.name === body.tags["estate:service"])!;
      expect(body.metadata_options, key).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(body.root_block_device, key).toEqual({ volume_type: "gp3", volume_size: service.volumeSizeGiB, encrypted: true, delete_on_termination: true });
      expect(body.associate_public_ip_address, key).toBe(false);
      expect(body.tags.Name).toBe(key);
    }
    for (const subnet of Object.values<any>(resourcesOf(tf, "aws_subnet"))) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it("never opens SSH to the internet, in any security group or rule", () => {
    const covers22 = (r: any) => r.ip_protocol === "-1" || (r.ip_protocol === "tcp" && r.from_port <= 22 && r.to_port >= 22);
    for (const type of ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule"]) {
      for (const { name, key, body } of instancesOf(tf, type)) {
        if (type === "aws_security_group_rule" && body.type !== "ingress") continue;
        const cidrs = [body.cidr_ipv4, body.cidr_ipv6, ...(body.cidr_blocks ?? []), ...(body.ipv6_cidr_blocks ?? [])];
        if (covers22(body)) expect(cidrs.filter((c) => WORLD.includes(c)), `${type}.${name}[${key}]`).toEqual([]);
      }
    }
    for (const [name, sg] of Object.entries<any>(resourcesOf(tf, "aws_security_group"))) {
      for (const rule of sg.ingress ?? []) {
        if (rule.from_port <= 22 && rule.to_port >= 22) expect([...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])].filter((c: string) => WORLD.includes(c)), name).toEqual([]);
      }
    }
    const ssh = instancesOf(tf, "aws_vpc_security_group_ingress_rule").filter((r) => r.body.from_port === 22);
    expect(ssh.map((r) => r.body.cidr_ipv4)).toEqual(["192.0.2.0/26", "192.0.2.0/26"]);
  });

  it("opens backend and health-check ports to the ALB's group only, and to clients plus the VPC behind the NLB", () => {
    const rules = instancesOf(tf, "aws_vpc_security_group_ingress_rule").map((r) => `${r.name}[${r.key}] ${r.body.cidr_ipv4 ?? r.body.referenced_security_group_id ?? r.body.prefix_list_id}`);
    expect(rules.sort()).toEqual(
      [
        "api_security_instance_ingress[tcp-22-192.0.2.0/26] 192.0.2.0/26",
        "api_security_instance_ingress[tcp-5432-10.0.0.0/8] 10.0.0.0/8",
        "api_security_instance_ingress[tcp-5432-10.40.0.0/16] 10.40.0.0/16",
        "api_security_instance_ingress[tcp-9100-10.40.0.0/16] 10.40.0.0/16",
        "api_security_instance_ingress_from_health_checkers[tcp-5432] ${data.aws_ec2_managed_prefix_list.route53_health_checkers.id}",
        "api_security_load_balancer_ingress[tcp-5432-10.0.0.0/8] 10.0.0.0/8",
        "api_security_load_balancer_ingress_from_health_checkers[tcp-5432] ${data.aws_ec2_managed_prefix_list.route53_health_checkers.id}",
        "web_security_instance_ingress[tcp-22-192.0.2.0/26] 192.0.2.0/26",
        "web_security_instance_ingress[tcp-9100-10.40.0.0/16] 10.40.0.0/16",
        "web_security_instance_ingress_from_load_balancer[tcp-8080] ${aws_security_group.web_security_load_balancer.id}",
        "web_security_load_balancer_ingress[tcp-80-0.0.0.0/0] 0.0.0.0/0",
      ].sort(),
    );
    expect(tf.data.aws_ec2_managed_prefix_list.route53_health_checkers).toEqual({ name: "com.amazonaws.eu-west-1.route53-healthchecks" });
  });

  it("names each load balancer exactly as the model does, ALB or NLB, in the public subnets", () => {
    const lbs = resourcesOf(tf, "aws_lb");
    for (const placed of site.services) {
      const lb = lbs[`${placed.service.name}_load_balancer_resource`];
      expect(lb).toMatchObject({ name: placed.loadBalancerName, load_balancer_type: placed.loadBalancerType, internal: false });
      expect(lb.subnets).toEqual(site.zones.map((z) => `\${aws_subnet.network_${z.name.replace(/-/g, "_")}_public_subnet.id}`));
    }
    expect(lbs.web_load_balancer_resource.load_balancer_type).toBe("application");
    expect(lbs.api_load_balancer_resource.load_balancer_type).toBe("network");
  });

  it("gives every target group the service's health check", () => {
    // dev.yaml: web checks HTTP /healthz on 8080, api TCP on its backend port; timings are the model's defaults.
    const groups = resourcesOf(tf, "aws_lb_target_group");
    expect(Object.keys(groups).sort()).toEqual(["api_load_balancer_target_groups_5432", "web_load_balancer_target_groups_80"]);
    expect(groups.web_load_balancer_target_groups_80).toMatchObject({ port: 8080, protocol: "HTTP", target_type: "instance" });
    expect(groups.web_load_balancer_target_groups_80.health_check).toEqual({
      enabled: true,
      protocol: "HTTP",
      port: "8080",
      path: "/healthz",
      matcher: "200",
      interval: 10,
      timeout: 5,
      healthy_threshold: 3,
      unhealthy_threshold: 3,
    });
    expect(groups.api_load_balancer_target_groups_5432).toMatchObject({ port: 5432, protocol: "TCP", target_type: "instance" });
    expect(groups.api_load_balancer_target_groups_5432.health_check).toEqual({
      enabled: true,
      protocol: "TCP",
      port: "5432",
      interval: 10,
      timeout: 5,
      healthy_threshold: 3,
      unhealthy_threshold: 3,
    });
  });

  it("registers every host in every target group of its service, keyed by host name", () => {
    const attachments = resourcesOf(tf, "aws_lb_target_group_attachment");
    expect(attachments.web_fleet_target_group_attachments_80).toEqual({
      for_each: "${local.hosts_web}",
      target_group_arn: "${aws_lb_target_group.web_load_balancer_target_groups_80.arn}",
      target_id: "${aws_instance.web_fleet_instances[each.key].id}",
      port: 8080,
    });
    expect(attachments.api_fleet_target_group_attachments_5432.for_each).toBe("${local.hosts_api}");
  });

  it("gives each zone its own NAT gateway and private route through it", () => {
    expect(Object.keys(resourcesOf(tf, "aws_nat_gateway"))).toHaveLength(3);
    expect(Object.keys(resourcesOf(tf, "aws_eip"))).toHaveLength(3);
    for (const z of site.zones) {
      const zone = z.name.replace(/-/g, "_");
      expect(resourcesOf(tf, "aws_route")[`network_${zone}_private_default_route`].nat_gateway_id).toBe(`\${aws_nat_gateway.network_${zone}_nat_gateway.id}`);
    }
  });

  it("outputs each service's load balancer DNS name", () => {
    expect(tf.output.web_lb_dns_name.value).toBe("${aws_lb.web_load_balancer_resource.dns_name}");
    expect(tf.output.api_lb_dns_name.value).toBe("${aws_lb.api_load_balancer_resource.dns_name}");
  });

  it("looks the golden image up by name and owner once, or uses the explicit AMI", () => {
    // One lookup per image and version, read by every fleet through its version map.
    expect(Object.keys(tf.data.aws_ami)).toEqual(["images_debian12_2026_11_1_lookup"]);
    expect(tf.data.aws_ami.images_debian12_2026_11_1_lookup).toMatchObject({ most_recent: true, owners: ["123456789012"] });
    expect(resourcesOf(tf, "aws_instance").web_fleet_instances.ami).toBe("${local.amis_web[each.value.version]}");
    expect(tf.locals.amis_web).toEqual({ "2026.11.1": "${data.aws_ami.images_debian12_2026_11_1_lookup.id}" });
    const byId = synthAws(devModel((env) => (env.images[0].aws = { ami: "ami-0123456789abcdef0" })));
    expect(byId.data?.aws_ami).toBeUndefined();
    expect(byId.locals.amis_web).toEqual({ "2026.11.1": "ami-0123456789abcdef0" });
  });

  it("leaves services without hosts in the site out", () => {
    const tf2 = synthAws(devModel((env) => (env.services[1].instancesBySite = { aws: 0 })));
    expect(Object.keys(resourcesOf(tf2, "aws_instance"))).toEqual(["web_fleet_instances"]);
    expect(tf2.locals.hosts_api).toBeUndefined();
  });
});
