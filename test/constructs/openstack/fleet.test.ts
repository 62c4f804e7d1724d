import { Testing } from "cdktf";
import { ComputeInstanceV2 } from "../../../.gen/providers/openstack/compute-instance-v2";
import { DataOpenstackImagesImageV2 } from "../../../.gen/providers/openstack/data-openstack-images-image-v2";
import { NetworkingPortV2 } from "../../../.gen/providers/openstack/networking-port-v2";
import { OpenstackProvider } from "../../../.gen/providers/openstack/provider";
import { OpenstackFleet, type OpenstackFleetProps } from "../../../constructs/openstack";
import { openstackErrorOf, openstackTestStack, resourcesOf, synthJson } from "../../support/synth";

const HOSTS = [
  { name: "t-os-a-web-001", ip: "10.10.1.1", availabilityZone: "az1" },
  { name: "t-os-a-web-002", ip: "10.10.1.2", availabilityZone: "az2" },
];

const PROPS: OpenstackFleetProps = {
  hosts: HOSTS,
  hostsLocalName: "hosts_web",
  network: { networkId: "net-1", subnetId: "subnet-1" },
  securityGroupIds: ["secgroup-1"],
  flavorName: "m1.small",
  image: { name: "debian-12-golden" },
  keyPairName: "estate-admin",
};

/** GIVEN a plain cdktf stack (cdktf's Testing.synthScope) with an OpenStack provider and one fleet in it. */
function synthFleet(props: OpenstackFleetProps = PROPS): string {
  return Testing.synthScope((scope) => {
    new OpenstackProvider(scope, "openstack", { cloud: "test" });
    new OpenstackFleet(scope, "Fleet", props);
  });
}

describe("OpenstackFleet", () => {
  it("renders one port and one instance per host over the host-map local, in a plain TerraformStack (defaults)", () => {
    // Terraform names in a plain stack are cdktf's own: the construct path and a hash of it (Fleet_Port_BB5CB8BB).
    const synthesized = synthFleet();
    expect(JSON.parse(synthesized).locals).toEqual({
      hosts_web: { "t-os-a-web-001": { ip: "10.10.1.1", az: "az1" }, "t-os-a-web-002": { ip: "10.10.1.2", az: "az2" } },
    });
    expect(synthesized).toHaveDataSourceWithProperties(DataOpenstackImagesImageV2, { name: "debian-12-golden", most_recent: true });
    expect(synthesized).toHaveResourceWithProperties(NetworkingPortV2, {
      for_each: "${local.hosts_web}",
      name: "${each.key}",
      network_id: "net-1",
      admin_state_up: true,
      security_group_ids: ["secgroup-1"],
      fixed_ip: [{ subnet_id: "subnet-1", ip_address: "${each.value.ip}" }],
    });
    expect(synthesized).toHaveResourceWithProperties(ComputeInstanceV2, {
      for_each: "${local.hosts_web}",
      name: "${each.key}",
      flavor_name: "m1.small",
      image_id: "${data.openstack_images_image_v2.Fleet_Image_DD102529.id}",
      availability_zone: "${each.value.az}",
      key_pair: "estate-admin",
      metadata: {},
      network: [{ port: "${openstack_networking_port_v2.Fleet_Port_BB5CB8BB[each.key].id}" }],
    });
    const instance = Object.values<any>(JSON.parse(synthesized).resource.openstack_compute_instance_v2)[0];
    expect(instance.depends_on).toBeUndefined();
    expect(instance.scheduler_hints).toBeUndefined();
    expect(instance.block_device).toBeUndefined();
  });

  it("boots from a volume, in server groups, after the router interface, with metadata (all options)", () => {
    const synthesized = Testing.synthScope((scope) => {
      new OpenstackProvider(scope, "openstack", { cloud: "test" });
      const routerInterface = new NetworkingPortV2(scope, "RouterInterfaceStandIn", { networkId: "net-1" });
      new OpenstackFleet(scope, "Fleet", {
        ...PROPS,
        hosts: [...HOSTS.map((h) => ({ ...h, serverGroup: 1 })), { name: "t-os-a-web-003", ip: "10.10.1.3", availabilityZone: "az3", serverGroup: 2 }],
        network: { ...PROPS.network, routerInterface },
        image: { id: "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11" },
        serverGroupIds: ["group-1", "group-2"],
        volumeSizeGiB: 40,
        metadata: { estate_service: "web" },
      });
    });
    expect(JSON.parse(synthesized).locals.hosts_web).toEqual({
      "t-os-a-web-001": { ip: "10.10.1.1", az: "az1", group: 1 },
      "t-os-a-web-002": { ip: "10.10.1.2", az: "az2", group: 1 },
      "t-os-a-web-003": { ip: "10.10.1.3", az: "az3", group: 2 },
    });
    expect(synthesized).not.toHaveDataSource(DataOpenstackImagesImageV2);
    expect(synthesized).toHaveResourceWithProperties(ComputeInstanceV2, {
      metadata: { estate_service: "web" },
      scheduler_hints: [{ group: '${{"1" = "group-1", "2" = "group-2"}[each.value.group]}' }],
      block_device: [
        { uuid: "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11", source_type: "image", destination_type: "volume", volume_size: 40, boot_index: 0, delete_on_termination: true },
      ],
      depends_on: ["openstack_networking_port_v2.RouterInterfaceStandIn"],
    });
    const instance = Object.values<any>(JSON.parse(synthesized).resource.openstack_compute_instance_v2)[0];
    expect(instance.image_id).toBeUndefined();
  });

  it("keeps template sequences in the host map literal in a plain stack too", () => {
    const synthesized = synthFleet({ ...PROPS, hosts: [{ name: "t-os-a-web-001", ip: "10.10.1.1", availabilityZone: "az-${x}-%{y}" }] });
    expect(JSON.parse(synthesized).locals.hosts_web).toEqual({ "t-os-a-web-001": { ip: "10.10.1.1", az: "az-$${x}-%%{y}" } });
  });

  it("refuses a second host map of the same name in a plain stack", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new OpenstackFleet(scope, "Fleet", PROPS);
        new OpenstackFleet(scope, "Other", PROPS);
      }),
    ).toThrow('stack: local "hosts_web" is defined twice');
  });
});

describe("OpenstackFleet in an estate stack", () => {
  const hosts = [
    { name: "t-os-a-web-001", ip: "10.10.1.1", availabilityZone: "az1" },
    { name: "t-os-a-web-002", ip: "10.10.1.2", availabilityZone: "az2" },
  ];
  const base = { hosts, hostsLocalName: "hosts_web", network: { networkId: "net", subnetId: "sub" }, securityGroupIds: ["sg"], flavorName: "m1.small", image: { name: "golden" }, keyPairName: "admin" };

  it("renders one port and one instance per host, keyed by host name (defaults)", () => {
    const stack = openstackTestStack();
    new OpenstackFleet(stack, "Fleet", base);
    const tf = synthJson(stack);
    expect(tf.locals.hosts_web).toEqual({ "t-os-a-web-001": { ip: "10.10.1.1", az: "az1" }, "t-os-a-web-002": { ip: "10.10.1.2", az: "az2" } });
    expect(resourcesOf(tf, "openstack_networking_port_v2").fleet_port).toMatchObject({
      for_each: "${local.hosts_web}",
      name: "${each.key}",
      fixed_ip: [{ subnet_id: "sub", ip_address: "${each.value.ip}" }],
      security_group_ids: ["sg"],
    });
    const instance = resourcesOf(tf, "openstack_compute_instance_v2").fleet_instance;
    expect(instance).toMatchObject({
      for_each: "${local.hosts_web}",
      name: "${each.key}",
      availability_zone: "${each.value.az}",
      image_id: "${data.openstack_images_image_v2.fleet_image.id}",
      network: [{ port: "${openstack_networking_port_v2.fleet_port[each.key].id}" }],
    });
    expect(instance.block_device).toBeUndefined();
    expect(instance.scheduler_hints).toBeUndefined();
    expect(tf.data.openstack_images_image_v2.fleet_image).toEqual({ name: "golden", most_recent: true });
  });

  it("boots from a volume in a server group (all options)", () => {
    const stack = openstackTestStack();
    new OpenstackFleet(stack, "Fleet", { ...base, image: { id: "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11" }, serverGroupIds: ["sg-1"], volumeSizeGiB: 40, metadata: { estate_env: "t" } });
    const instance = resourcesOf(synthJson(stack), "openstack_compute_instance_v2").fleet_instance;
    expect(instance.scheduler_hints).toEqual([{ group: "sg-1" }]);
    expect(instance.image_id).toBeUndefined();
    expect(instance.block_device).toEqual([
      { uuid: "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11", source_type: "image", destination_type: "volume", volume_size: 40, boot_index: 0, delete_on_termination: true },
    ]);
    expect(instance.metadata).toEqual({ estate_env: "t" });
  });

  it("places hosts in several server groups by the group each host names", () => {
    // GIVEN three hosts, the third in a second group (a fleet grown past the group's member quota)
    const stack = openstackTestStack();
    const grown = [...hosts.map((h) => ({ ...h, serverGroup: 1 })), { name: "t-os-a-web-003", ip: "10.10.1.3", availabilityZone: "az3", serverGroup: 2 }];
    // WHEN
    new OpenstackFleet(stack, "Fleet", { ...base, hosts: grown, serverGroupIds: ["sg-1", "sg-2"] });
    const tf = synthJson(stack);
    // THEN each host carries its group in the host map and the instance looks it up
    expect(tf.locals.hosts_web).toEqual({
      "t-os-a-web-001": { ip: "10.10.1.1", az: "az1", group: 1 },
      "t-os-a-web-002": { ip: "10.10.1.2", az: "az2", group: 1 },
      "t-os-a-web-003": { ip: "10.10.1.3", az: "az3", group: 2 },
    });
    expect(resourcesOf(tf, "openstack_compute_instance_v2").fleet_instance.scheduler_hints).toEqual([{ group: '${{"1" = "sg-1", "2" = "sg-2"}[each.value.group]}' }]);
  });

  it("refuses a host naming a server group the fleet does not have", () => {
    expect(openstackErrorOf((s) => new OpenstackFleet(s, "Fleet", { ...base, hosts: [{ ...hosts[0], serverGroup: 3 }], serverGroupIds: ["sg-1", "sg-2"] }))).toBe(
      'test/Fleet: host "t-os-a-web-001" names server group 3, but the fleet has 2 (serverGroupIds)',
    );
  });

  it("GIVEN images by version THEN each host boots its own version's image and carries its member weight", () => {
    const stack = openstackTestStack();
    const rolled = [
      { ...hosts[0], imageVersion: "2", inService: false },
      { ...hosts[1], imageVersion: "1" },
    ];
    new OpenstackFleet(stack, "Fleet", { ...base, hosts: rolled, imagesByVersion: { "1": { name: "golden-1" }, "2": { id: "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11" } }, versionMetadataKey: "estate_image_version" });
    const tf = synthJson(stack);
    expect(tf.locals.hosts_web).toEqual({
      "t-os-a-web-001": { ip: "10.10.1.1", az: "az1", version: "2", weight: 0 },
      "t-os-a-web-002": { ip: "10.10.1.2", az: "az2", version: "1", weight: 1 },
    });
    expect(tf.locals.image_names_web).toEqual({ "1": "golden-1" });
    expect(tf.locals.image_ids_web).toEqual({ "1": '${data.openstack_images_image_v2.fleet_image["1"].id}', "2": "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11" });
    expect(tf.data.openstack_images_image_v2.fleet_image).toMatchObject({ for_each: "${local.image_names_web}", name: "${each.value}", most_recent: true });
    const instance = resourcesOf(tf, "openstack_compute_instance_v2").fleet_instance;
    expect(instance.image_id).toBe("${local.image_ids_web[each.value.version]}");
    expect(instance.metadata).toEqual({ estate_image_version: "${each.value.version}" });
  });

  it("refuses a host whose version has no image", () => {
    expect(openstackErrorOf((s) => new OpenstackFleet(s, "Fleet", { ...base, hosts: [{ ...hosts[0], imageVersion: "3" }], imagesByVersion: { "1": { name: "golden-1" } } }))).toBe(
      'test/Fleet: host "t-os-a-web-001" runs image version "3", which imagesByVersion does not have (1)',
    );
  });

  it("refuses a duplicate host", () => {
    expect(openstackErrorOf((s) => new OpenstackFleet(s, "Fleet", { ...base, hosts: [hosts[0], hosts[0]] }))).toBe('test/Fleet: host "t-os-a-web-001" appears twice');
  });
});
