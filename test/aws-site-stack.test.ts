import { Testing, TerraformStack } from "cdktf";
import {
  AwsFleet,
  AwsGoldenImage,
  AwsServiceLoadBalancer,
  AwsServiceSecurity,
  AwsSiteNetwork,
  DEFAULT_SSL_POLICY,
  type AwsServiceHealthCheck,
  type AwsServiceLoadBalancerProps,
  type AwsServiceSecurityProps,
} from "../constructs/aws";
import { loadEnvironment, type EstateModel } from "../model";
import { AwsSiteStack } from "../stacks/aws-site-stack";
import { DEV_ENV, devModel } from "./support/env";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { errorOf as errorIn, resourcesOf, synthJson, testStack as bareStack } from "./support/synth";

/** GIVEN a stack with the one AWS provider every AWS site stack has. */
function testStack() {
  const stack = bareStack();
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

const errorOf = (build: Parameters<typeof errorIn>[0], scope: Parameters<typeof errorIn>[1] = testStack()) => errorIn(build, scope);

/** GIVEN the AWS site stack of an estate, synthesized to JSON. */
function synthAws(estate: EstateModel): any {
  const stack = new AwsSiteStack(Testing.app(), estate, estate.awsSite!);
  return synthJson(stack);
}

/**
 * Every Terraform instance a resource stands for: a for_each resource is expanded over its map (a literal local or
 * an inline map) with `${each.key}` / `${each.value.x}` substituted, so rules can be checked one by one.
 */
function instancesOf(tf: any, type: string): { name: string; key?: string; body: any }[] {
  const out: { name: string; key?: string; body: any }[] = [];
  for (const [name, body] of Object.entries<any>(resourcesOf(tf, type))) {
    if (body.for_each === undefined) {
      out.push({ name, body });
      continue;
    }
    const local = typeof body.for_each === "string" ? /^\$\{local\.([a-z0-9_]+)\}$/.exec(body.for_each) : null;
    const map = local ? tf.locals[local[1]] : body.for_each;
    expect(map, `${type}.${name}: for_each must be a literal local or an inline map`).toBeTypeOf("object");
    for (const [key, value] of Object.entries<any>(map)) out.push({ name, key, body: substitute(body, key, value) });
  }
  return out;
}

function substitute(node: any, key: string, value: any): any {
  if (typeof node === "string") {
    if (node === "${each.key}") return key;
    const m = /^\$\{each\.value\.([A-Za-z0-9_]+)\}$/.exec(node);
    return m ? value[m[1]] : node;
  }
  if (Array.isArray(node)) return node.map((n) => substitute(n, key, value));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "for_each" ? v : substitute(v, key, value)]));
  return node;
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
      expect(tf.locals[`hosts_${placed.service}`]).toEqual(expected);
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
      const lb = lbs[`${placed.service}_load_balancer_resource`];
      expect(lb).toMatchObject({ name: placed.loadBalancerName, load_balancer_type: placed.loadBalancerType, internal: false });
      expect(lb.subnets).toEqual(site.zones.map((z) => `\${aws_subnet.network_${z.name.replace(/-/g, "_")}_public_subnet.id}`));
    }
    expect(lbs.web_load_balancer_resource.load_balancer_type).toBe("application");
    expect(lbs.api_load_balancer_resource.load_balancer_type).toBe("network");
  });

  it("gives every target group the service's health check", () => {
    const groups = resourcesOf(tf, "aws_lb_target_group");
    for (const service of estate.services) {
      const hc = service.healthCheck;
      for (const l of service.listeners) {
        const group = groups[`${service.name}_load_balancer_target_groups_${l.port}`];
        expect(group).toMatchObject({ port: l.backendPort, target_type: "instance" });
        expect(group.health_check).toEqual({
          enabled: true,
          protocol: hc.protocol,
          port: String(hc.port),
          ...(hc.protocol === "TCP" ? {} : { path: hc.path, matcher: hc.expectedCodes }),
          interval: hc.intervalSec,
          timeout: hc.timeoutSec,
          healthy_threshold: hc.healthyThreshold,
          unhealthy_threshold: hc.unhealthyThreshold,
        });
      }
    }
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

// ---------------------------------------------------------------------------------------------------------------

const ZONES = [
  { name: "eu-west-1a", privateSubnetCidr: "10.40.0.0/20", publicSubnetCidr: "10.40.32.0/20" },
  { name: "eu-west-1b", privateSubnetCidr: "10.40.16.0/20", publicSubnetCidr: "10.40.48.0/20" },
];
const NETWORK = { name: "t-aws", vpcCidr: "10.40.0.0/16", zones: ZONES };
const HTTP_CHECK: AwsServiceHealthCheck = {
  intervalSec: 10,
  timeoutSec: 5,
  healthyThreshold: 3,
  unhealthyThreshold: 3,
  expectedCodes: "200",
};
const FAKE_NETWORK = {
  vpcId: "vpc-1",
  vpcCidr: "10.40.0.0/16",
  publicSubnetIds: ["subnet-a", "subnet-b"],
  privateSubnetIds: { "eu-west-1a": "subnet-pa", "eu-west-1b": "subnet-pb" },
};

describe("AwsSiteNetwork", () => {
  it("builds a VPC, public and private subnets per zone, an internet gateway and a NAT gateway per zone (defaults)", () => {
    const stack = testStack();
    const network = new AwsSiteNetwork(stack, "Network", NETWORK);
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_vpc").network_vpc).toEqual({ cidr_block: "10.40.0.0/16", enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: "t-aws" } });
    expect(resourcesOf(tf, "aws_subnet").network_eu_west_1b_private_subnet).toMatchObject({ cidr_block: "10.40.16.0/20", availability_zone: "eu-west-1b", map_public_ip_on_launch: false });
    expect(resourcesOf(tf, "aws_route").network_public_default_route.gateway_id).toBe("${aws_internet_gateway.network_internet_gateway.id}");
    expect(Object.keys(resourcesOf(tf, "aws_nat_gateway")).sort()).toEqual(["network_eu_west_1a_nat_gateway", "network_eu_west_1b_nat_gateway"]);
    expect(resourcesOf(tf, "aws_eip").network_eu_west_1a_nat_eip.domain).toBe("vpc");
    expect(network.publicSubnetIds).toHaveLength(2);
    expect(network.natGatewayIds).toHaveLength(2);
  });

  it("shares one NAT gateway when asked to (all options)", () => {
    const stack = testStack();
    new AwsSiteNetwork(stack, "Network", { ...NETWORK, natGatewayPerZone: false });
    const tf = synthJson(stack);
    expect(Object.keys(resourcesOf(tf, "aws_nat_gateway"))).toEqual(["network_eu_west_1a_nat_gateway"]);
    expect(resourcesOf(tf, "aws_route").network_eu_west_1b_private_default_route.nat_gateway_id).toBe("${aws_nat_gateway.network_eu_west_1a_nat_gateway.id}");
  });

  it("refuses a single zone", () => {
    expect(errorOf((s) => new AwsSiteNetwork(s, "Network", { ...NETWORK, zones: [ZONES[0]] }))).toBe(
      "test/Network: zones lists 1 availability zone(s); load balancers need subnets in at least 2, so list at least 2 zones",
    );
  });

  it("refuses a subnet outside the VPC", () => {
    const zones = [ZONES[0], { ...ZONES[1], publicSubnetCidr: "10.41.0.0/20" }];
    expect(errorOf((s) => new AwsSiteNetwork(s, "Network", { ...NETWORK, zones }))).toBe(
      'test/Network: public subnet 10.41.0.0/20 of zone "eu-west-1b" is not inside the VPC 10.40.0.0/16; carve every subnet from the VPC range',
    );
  });

  it("refuses overlapping subnets", () => {
    const zones = [ZONES[0], { ...ZONES[1], privateSubnetCidr: "10.40.8.0/21" }];
    expect(errorOf((s) => new AwsSiteNetwork(s, "Network", { ...NETWORK, zones }))).toBe(
      'test/Network: private subnet 10.40.8.0/21 of zone "eu-west-1b" overlaps private subnet 10.40.0.0/20 of zone "eu-west-1a"; subnets of a VPC must not overlap',
    );
  });
});

describe("AwsGoldenImage", () => {
  it("looks the newest available AMI up by name and owner (defaults)", () => {
    const stack = testStack();
    new AwsGoldenImage(stack, "Image", { amiName: "debian12-golden-*", owner: "self" });
    expect(synthJson(stack).data.aws_ami.image_lookup).toEqual({
      most_recent: true,
      owners: ["self"],
      filter: [
        { name: "name", values: ["debian12-golden-*"] },
        { name: "state", values: ["available"] },
      ],
    });
  });

  it("uses an explicit AMI id without a lookup", () => {
    const stack = testStack();
    const image = new AwsGoldenImage(stack, "Image", { ami: "ami-0123456789abcdef0" });
    expect(image.imageId).toBe("ami-0123456789abcdef0");
    expect(synthJson(stack).data).toBeUndefined();
  });

  it("refuses a name without an owner", () => {
    expect(errorOf((s) => new AwsGoldenImage(s, "Image", { amiName: "debian12" }))).toBe(
      'test/Image: the image needs an ami id, or an amiName together with its owner account (e.g. owner: "123456789012")',
    );
  });
});

describe("AwsServiceSecurity", () => {
  const props: AwsServiceSecurityProps = {
    name: "t-web",
    network: FAKE_NETWORK,
    loadBalancerType: "application",
    listeners: [{ protocol: "HTTP", port: 80, backendPort: 8080 }],
    healthCheckPort: 8081,
    allowedCidrs: ["0.0.0.0/0"],
    adminCidrs: ["192.0.2.0/26"],
  };
  const rulesOf = (tf: any) =>
    instancesOf(tf, "aws_vpc_security_group_ingress_rule")
      .map((r) => `${r.name}: ${r.body.ip_protocol}/${r.body.from_port} from ${r.body.cidr_ipv4 ?? r.body.referenced_security_group_id ?? r.body.prefix_list_id}`)
      .sort();

  it("opens listeners to clients, backends to the ALB, SSH to admins and node_exporter to the VPC (defaults)", () => {
    const stack = testStack();
    new AwsServiceSecurity(stack, "Sg", props);
    const tf = synthJson(stack);
    expect(rulesOf(tf)).toEqual([
      "sg_instance_ingress: tcp/22 from 192.0.2.0/26",
      "sg_instance_ingress: tcp/9100 from 10.40.0.0/16",
      "sg_instance_ingress_from_load_balancer: tcp/8080 from ${aws_security_group.sg_load_balancer.id}",
      "sg_instance_ingress_from_load_balancer: tcp/8081 from ${aws_security_group.sg_load_balancer.id}",
      "sg_load_balancer_ingress: tcp/80 from 0.0.0.0/0",
    ]);
    const egress = instancesOf(tf, "aws_vpc_security_group_egress_rule").map((r) => `${r.name}: ${r.body.ip_protocol}/${r.body.from_port ?? "all"} to ${r.body.cidr_ipv4 ?? r.body.referenced_security_group_id}`);
    expect(egress.sort()).toEqual([
      "sg_instance_egress: -1/all to 0.0.0.0/0",
      "sg_load_balancer_egress: tcp/8080 to ${aws_security_group.sg_instances.id}",
      "sg_load_balancer_egress: tcp/8081 to ${aws_security_group.sg_instances.id}",
    ]);
    expect(resourcesOf(tf, "aws_security_group").sg_load_balancer).toMatchObject({ name: "t-web-lb", vpc_id: "vpc-1" });
  });

  it("admits clients and the VPC behind an NLB, with health checkers, monitoring and ports as given (all options)", () => {
    const stack = testStack();
    new AwsServiceSecurity(stack, "Sg", {
      ...props,
      loadBalancerType: "network",
      listeners: [
        { protocol: "UDP", port: 53, backendPort: 5353 },
        { protocol: "TCP", port: 53, backendPort: 5353 },
      ],
      healthCheckPort: 5353,
      allowedCidrs: ["10.0.0.0/8"],
      monitoringCidrs: ["10.0.0.0/16"],
      nodeExporterPort: 9200,
      sshPort: 2222,
      healthCheckerPrefixListId: "pl-1",
    });
    expect(rulesOf(synthJson(stack))).toEqual([
      "sg_instance_ingress: tcp/2222 from 192.0.2.0/26",
      "sg_instance_ingress: tcp/5353 from 10.0.0.0/8",
      "sg_instance_ingress: tcp/5353 from 10.40.0.0/16",
      "sg_instance_ingress: tcp/9200 from 10.0.0.0/16",
      "sg_instance_ingress: udp/5353 from 10.0.0.0/8",
      "sg_instance_ingress: udp/5353 from 10.40.0.0/16",
      "sg_instance_ingress_from_health_checkers: tcp/5353 from pl-1",
      "sg_load_balancer_ingress: tcp/53 from 10.0.0.0/8",
      "sg_load_balancer_ingress: udp/53 from 10.0.0.0/8",
      "sg_load_balancer_ingress_from_health_checkers: tcp/53 from pl-1",
    ]);
  });

  it("refuses SSH open to the whole internet", () => {
    expect(errorOf((s) => new AwsServiceSecurity(s, "Sg", { ...props, adminCidrs: ["192.0.2.0/26", "0.0.0.0/0"] }))).toBe(
      "test/Sg: adminCidrs would open SSH to the whole public IPv4 internet; list the admin networks instead",
    );
  });

  it("refuses a malformed CIDR", () => {
    expect(errorOf((s) => new AwsServiceSecurity(s, "Sg", { ...props, allowedCidrs: ["10.0.0.1/8"] }))).toBe(
      'test/Sg: allowedCidrs holds "10.0.0.1/8", which is not an IPv4 network such as 192.0.2.0/26',
    );
  });
});

describe("AwsServiceLoadBalancer", () => {
  const props: AwsServiceLoadBalancerProps = {
    loadBalancerName: "dev-web",
    loadBalancerType: "application",
    network: FAKE_NETWORK,
    securityGroupIds: ["sg-1"],
    listeners: [{ protocol: "HTTP", port: 80, backendPort: 8080, targetHealthCheck: { protocol: "HTTP", port: 8080, path: "/healthz" } }],
    healthCheck: HTTP_CHECK,
  };

  it("puts an internal load balancer in the private subnets", () => {
    const stack = testStack();
    new AwsServiceLoadBalancer(stack, "Lb", { ...props, internal: true });
    expect(resourcesOf(synthJson(stack), "aws_lb").lb_resource).toMatchObject({ internal: true, subnets: ["subnet-pa", "subnet-pb"] });
  });

  it("builds an internet-facing ALB with one HTTP listener and target group per listener (defaults)", () => {
    const stack = testStack();
    const lb = new AwsServiceLoadBalancer(stack, "Lb", props);
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_lb").lb_resource).toEqual({
      name: "dev-web",
      load_balancer_type: "application",
      internal: false,
      ip_address_type: "ipv4",
      subnets: ["subnet-a", "subnet-b"],
      security_groups: ["sg-1"],
      enable_deletion_protection: false,
      drop_invalid_header_fields: true,
      tags: { Name: "dev-web" },
    });
    expect(resourcesOf(tf, "aws_lb_listener").lb_listeners_80).toMatchObject({ port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.lb_target_groups_80.arn}" }] });
    expect(resourcesOf(tf, "aws_lb_target_group").lb_target_groups_80).toMatchObject({
      port: 8080,
      protocol: "HTTP",
      health_check: { protocol: "HTTP", path: "/healthz", port: "8080", matcher: "200", interval: 10, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3 },
    });
    expect(lb.targetGroups.map(({ listenerPort, port }) => ({ listenerPort, port }))).toEqual([{ listenerPort: 80, port: 8080 }]);
  });

  it("terminates TLS with the model's certificate and a modern policy", () => {
    const stack = testStack();
    const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
    new AwsServiceLoadBalancer(stack, "Lb", { ...props, listeners: [{ protocol: "TERMINATED_HTTPS", port: 443, backendPort: 8080, tls: { awsCertificateArn: cert }, targetHealthCheck: { protocol: "HTTP", port: 8080, path: "/healthz" } }] });
    const listener = resourcesOf(synthJson(stack), "aws_lb_listener").lb_listeners_443;
    expect(listener).toMatchObject({ protocol: "HTTPS", certificate_arn: cert, ssl_policy: DEFAULT_SSL_POLICY });
  });

  it("builds an NLB for TCP and UDP with TLS termination, policy, protection and cross-zone as given (all options)", () => {
    const stack = testStack();
    const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
    new AwsServiceLoadBalancer(stack, "Lb", {
      ...props,
      loadBalancerName: "dev-dns",
      loadBalancerType: "network",
      listeners: [
        { protocol: "UDP", port: 53, backendPort: 5353, targetHealthCheck: { protocol: "TCP", port: 5432 } },
        { protocol: "TCP", port: 5432, backendPort: 5432, targetHealthCheck: { protocol: "TCP", port: 5432 } },
        { protocol: "TERMINATED_HTTPS", port: 443, backendPort: 8080, tls: { awsCertificateArn: cert }, targetHealthCheck: { protocol: "TCP", port: 8080 } },
      ],
      sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      deletionProtection: true,
      crossZoneLoadBalancing: false,
    });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_lb").lb_resource).toMatchObject({ load_balancer_type: "network", enable_deletion_protection: true, enable_cross_zone_load_balancing: false });
    const listeners = resourcesOf(tf, "aws_lb_listener");
    expect([listeners.lb_listeners_53.protocol, listeners.lb_listeners_5432.protocol, listeners.lb_listeners_443.protocol]).toEqual(["UDP", "TCP", "TLS"]);
    expect(listeners.lb_listeners_443).toMatchObject({ certificate_arn: cert, ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06" });
    const groups = resourcesOf(tf, "aws_lb_target_group");
    expect([groups.lb_target_groups_53.protocol, groups.lb_target_groups_5432.protocol, groups.lb_target_groups_443.protocol]).toEqual(["UDP", "TCP", "TCP"]);
    expect(groups.lb_target_groups_53.health_check).toEqual({ enabled: true, protocol: "TCP", port: "5432", interval: 10, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3 });
  });

  it("refuses a name AWS would reject", () => {
    expect(errorOf((s) => new AwsServiceLoadBalancer(s, "Lb", { ...props, loadBalancerName: "a".repeat(33) }))).toBe(
      `test/Lb: loadBalancerName "${"a".repeat(33)}" is not a valid AWS load balancer name: 1-32 letters, digits and dashes, not starting or ending with a dash nor starting with "internal-"`,
    );
  });

  it("refuses a TCP listener on an ALB", () => {
    expect(errorOf((s) => new AwsServiceLoadBalancer(s, "Lb", { ...props, listeners: [{ protocol: "TCP", port: 5432, backendPort: 5432, targetHealthCheck: { protocol: "TCP", port: 5432 } }] }))).toBe(
      'test/Lb: an application load balancer cannot carry the TCP listener on port 5432; use loadBalancerType "network"',
    );
  });

  it("refuses a health-check timeout ELB would reject", () => {
    expect(errorOf((s) => new AwsServiceLoadBalancer(s, "Lb", { ...props, healthCheck: { ...HTTP_CHECK, timeoutSec: 10 } }))).toBe(
      "test/Lb: health-check timeoutSec must be at least 2 and less than intervalSec (10), got 10; Elastic Load Balancing rejects anything else",
    );
  });
});

describe("AwsFleet", () => {
  const hosts = [
    { name: "t-aws-web-001", ip: "10.40.1.1", availabilityZone: "eu-west-1a" },
    { name: "t-aws-web-002", ip: "10.40.17.1", availabilityZone: "eu-west-1b" },
  ];
  const fleetProps = (network: AwsSiteNetwork) => ({
    env: "t",
    site: "aws",
    service: "web",
    image: "debian12",
    imageVersion: "1",
    imageId: "ami-0123456789abcdef0",
    instanceType: "t3.small",
    hosts,
    network,
    securityGroupIds: ["sg-1"],
    keyName: "estate-admin",
  });

  it("renders one for_each instance resource over the host-map local, without attachments (defaults)", () => {
    const stack = testStack();
    new AwsFleet(stack, "Fleet", fleetProps(new AwsSiteNetwork(stack, "Network", NETWORK)));
    const tf = synthJson(stack);
    expect(tf.locals.hosts_web).toEqual({ "t-aws-web-001": { ip: "10.40.1.1", zone: "eu-west-1a" }, "t-aws-web-002": { ip: "10.40.17.1", zone: "eu-west-1b" } });
    expect(resourcesOf(tf, "aws_instance").fleet_instances).toMatchObject({
      for_each: "${local.hosts_web}",
      ami: "ami-0123456789abcdef0",
      instance_type: "t3.small",
      private_ip: "${each.value.ip}",
      subnet_id: "${local.network_private_subnet_by_zone[each.value.zone]}",
      associate_public_ip_address: false,
      vpc_security_group_ids: ["sg-1"],
      root_block_device: { volume_type: "gp3", volume_size: 20, encrypted: true, delete_on_termination: true },
    });
    expect(resourcesOf(tf, "aws_lb_target_group_attachment")).toEqual({});
  });

  it("attaches every host to each target group, with the volume size given (all options)", () => {
    const stack = testStack();
    new AwsFleet(stack, "Fleet", {
      ...fleetProps(new AwsSiteNetwork(stack, "Network", NETWORK)),
      volumeSizeGiB: 50,
      targetGroups: [{ listenerPort: 443, port: 8443, targetGroupArn: "arn:tg" }],
    });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_instance").fleet_instances.root_block_device.volume_size).toBe(50);
    expect(resourcesOf(tf, "aws_lb_target_group_attachment").fleet_target_group_attachments_443).toEqual({
      for_each: "${local.hosts_web}",
      target_group_arn: "arn:tg",
      target_id: "${aws_instance.fleet_instances[each.key].id}",
      port: 8443,
    });
  });

  it("refuses a host outside its zone's private subnet", () => {
    const stack = testStack();
    const network = new AwsSiteNetwork(stack, "Network", NETWORK);
    const bad = [{ ...hosts[0], ip: "10.40.17.9" }];
    expect(errorOf((s) => new AwsFleet(s, "Fleet", { ...fleetProps(network), hosts: bad }), stack)).toBe(
      'test/Fleet: host "t-aws-web-001" has ip 10.40.17.9, outside the private subnet 10.40.0.0/20 of zone "eu-west-1a"',
    );
  });

  it("refuses a zone the network does not have", () => {
    const stack = testStack();
    const network = new AwsSiteNetwork(stack, "Network", NETWORK);
    const bad = [{ ...hosts[0], availabilityZone: "eu-west-1c" }];
    expect(errorOf((s) => new AwsFleet(s, "Fleet", { ...fleetProps(network), hosts: bad }), stack)).toBe(
      'test/Fleet: host "t-aws-web-001" is in zone "eu-west-1c", which the network does not have (zones: eu-west-1a, eu-west-1b)',
    );
  });

  it("must live in an EstateStack, which renders the host map", () => {
    const plain = new TerraformStack(Testing.app(), "plain");
    const network = new AwsSiteNetwork(plain, "Network", NETWORK);
    expect(errorOf((s) => new AwsFleet(s, "Fleet", fleetProps(network)), plain)).toBe(
      'plain/Fleet: a fleet must live in a stack that renders literal host maps (an EstateStack); stack "plain" is a plain TerraformStack',
    );
  });
});
