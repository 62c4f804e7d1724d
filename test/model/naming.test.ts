import {
  assumeRoleSessionName,
  awsLoadBalancerName,
  bakedImageName,
  bakeStackName,
  builderName,
  fleetName,
  hostName,
  hostsLocalName,
  loadBalancerDnsNameOutput,
  serverGroupName,
  serviceRecordName,
  siteStackName,
  snakeCase,
  trafficStackName,
} from "../../model";

// Every name here is public: a stack users deploy, a host in the inventory, a cloud resource or a Terraform address.
describe("naming", () => {
  it("names the stacks of an environment", () => {
    expect(siteStackName("prod", "os-b")).toBe("prod-os-b");
    expect(trafficStackName("prod")).toBe("prod-traffic");
    expect(bakeStackName("prod", "os-b")).toBe("prod-os-b-bake");
  });

  it("names fleets, their hosts (three digits at least) and their server groups", () => {
    expect(fleetName("prod", "os-a", "web")).toBe("prod-os-a-web");
    expect(hostName("prod", "os-a", "web", 7)).toBe("prod-os-a-web-007");
    expect(hostName("prod", "os-a", "web", 1234)).toBe("prod-os-a-web-1234");
    expect(serverGroupName("prod-os-a-web", 1)).toBe("prod-os-a-web");
    expect(serverGroupName("prod-os-a-web", 3)).toBe("prod-os-a-web-3");
  });

  it("names the bake: its builder and the image it publishes", () => {
    expect(builderName("dev", "os-c")).toBe("dev-os-c-builder");
    expect(bakedImageName("debian12", "2026.11.1")).toBe("debian12-2026.11.1");
  });

  it("keeps AWS load balancer names within 32 characters, deterministically", () => {
    expect(awsLoadBalancerName("prod", "web")).toBe("prod-web");
    // 38 characters: the first 25, a dash and six base-36 digits of the name's 32-bit string hash.
    expect(awsLoadBalancerName("production-eu", "customer-portal-frontend")).toBe("production-eu-customer-po-1d1vyk");
  });

  it("names records, sessions, locals and outputs", () => {
    expect(serviceRecordName("web", "prod.example.net")).toBe("web.prod.example.net");
    expect(assumeRoleSessionName("prod-aws")).toBe("estate-prod-aws");
    expect(snakeCase("LoadBalancer-port80.Listener")).toBe("load_balancer_port80_listener");
    expect(hostsLocalName("api-gateway")).toBe("hosts_api_gateway");
    expect(loadBalancerDnsNameOutput("api-gateway")).toBe("api_gateway_lb_dns_name");
  });
});
