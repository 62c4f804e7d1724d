import { Construct } from "constructs";
import { ComputeInstanceV2 } from "../../.gen/providers/openstack/compute-instance-v2";
import { DataOpenstackImagesImageV2 } from "../../.gen/providers/openstack/data-openstack-images-image-v2";
import { DataOpenstackNetworkingNetworkV2 } from "../../.gen/providers/openstack/data-openstack-networking-network-v2";
import { DataOpenstackNetworkingSubnetV2 } from "../../.gen/providers/openstack/data-openstack-networking-subnet-v2";
import { NetworkingPortV2 } from "../../.gen/providers/openstack/networking-port-v2";
import { isValidIpv4 } from "../../model";
import { terraformLiteral } from "../terraform-literal";
import { OpenstackServiceSecurityGroup } from "./service-security-group";
import { ValidationError } from "../core";

/** Props of {@link OpenstackImageBuilder}; every value comes from the model (`bake` in the environment file). */
export interface OpenstackImageBuilderProps {
  /** Instance name. */
  readonly name: string;
  /** Name of the site network and subnet to join (looked up by name: the bake stack never references the site stack). */
  readonly siteNetworkName: string;
  /** Fixed address reserved for the builder in the site plan. */
  readonly ip: string;
  /** Base (distribution) image name in Glance. */
  readonly baseImageName: string;
  /** Nova flavor of the builder (`bake.flavor`). */
  readonly flavorName: string;
  /** Nova key pair injected into the builder (`ssh.keyName`). */
  readonly keyPairName: string;
  /** Nova availability zone of the builder, the site's first. */
  readonly availabilityZone: string;
  /** Networks SSH to the builder is allowed from (`adminCidrs`). */
  readonly adminCidrs: readonly string[];
}

/** A throw-away instance that Ansible bakes a golden image on; lives in its own stack. */
export class OpenstackImageBuilder extends Construct {
  /** Nova name of the builder instance, the host name Ansible reaches it by. */
  readonly instanceName: string;

  constructor(scope: Construct, id: string, props: OpenstackImageBuilderProps) {
    super(scope, id);
    if (!isValidIpv4(props.ip)) throw new ValidationError(`ip must be an IPv4 address, got "${props.ip}"`, this);
    const network = new DataOpenstackNetworkingNetworkV2(this, "Network", { name: terraformLiteral(props.siteNetworkName) });
    const subnet = new DataOpenstackNetworkingSubnetV2(this, "Subnet", { name: terraformLiteral(props.siteNetworkName), networkId: network.id });
    const image = new DataOpenstackImagesImageV2(this, "BaseImage", { name: terraformLiteral(props.baseImageName), mostRecent: true });
    const security = new OpenstackServiceSecurityGroup(this, "SecurityGroup", {
      name: props.name,
      servicePorts: [],
      loadBalancerSourceCidrs: [],
      adminCidrs: props.adminCidrs,
    });
    const port = new NetworkingPortV2(this, "Port", {
      name: terraformLiteral(props.name),
      networkId: network.id,
      adminStateUp: true,
      securityGroupIds: [security.securityGroupId],
      fixedIp: [{ subnetId: subnet.id, ipAddress: props.ip }],
    });
    new ComputeInstanceV2(this, "Instance", {
      name: terraformLiteral(props.name),
      flavorName: terraformLiteral(props.flavorName),
      imageId: image.id,
      availabilityZone: terraformLiteral(props.availabilityZone),
      keyPair: terraformLiteral(props.keyPairName),
      network: [{ port: port.id }],
      metadata: { estate_role: "golden-image-builder" },
    });
    this.instanceName = props.name;
  }
}
