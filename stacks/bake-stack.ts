import type { Construct } from "constructs";
import { OpenstackProvider } from "../.gen/providers/openstack/provider";
import { OpenstackImageBuilder } from "../constructs/openstack";
import type { BuilderModel, EstateModel, OpenstackSiteModel } from "../model";
import { terraformLiteral } from "../constructs/terraform-literal";
import { EstateStack } from "./estate-stack";
import { ValidationError } from "../constructs/core";

/**
 * The golden-image builder of one site, in a stack of its own so that baking never touches a serving site.
 * It joins the site network by name: the site stack must be deployed first.
 */
export class BakeStack extends EstateStack {
  constructor(scope: Construct, estate: EstateModel, site: OpenstackSiteModel, builder: BuilderModel) {
    super(scope, builder.stackName, estate.backend);
    if (!estate.bake.baseImage || !estate.bake.flavor) throw new ValidationError(`bake needs baseImage and flavor in the environment file`, this);
    new OpenstackProvider(this, "openstack", { cloud: terraformLiteral(site.cloud), region: terraformLiteral(site.region) });
    new OpenstackImageBuilder(this, "Builder", {
      name: builder.name,
      siteNetworkName: site.stackName,
      ip: builder.ip,
      baseImageName: estate.bake.baseImage,
      flavorName: estate.bake.flavor,
      keyPairName: estate.ssh.keyName,
      availabilityZone: builder.availabilityZone,
      adminCidrs: estate.adminCidrs,
    });
  }
}
