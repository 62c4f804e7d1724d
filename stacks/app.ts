import type { App } from "cdktf";
import type { EstateModel, StackRef } from "../model";
import { AwsSiteStack } from "./aws-site-stack";
import { BakeStack } from "./bake-stack";
import { OpenstackSiteStack } from "./openstack-site-stack";
import { TrafficStack } from "./traffic-stack";

/** Builds the stacks of one environment into the app; `include` limits which stacks are built. */
export function buildEstateStacks(app: App, estate: EstateModel, include: (stack: StackRef) => boolean = () => true): StackRef[] {
  const built: StackRef[] = [];
  for (const ref of estate.stacks) {
    if (!include(ref)) continue;
    switch (ref.kind) {
      case "openstack":
        new OpenstackSiteStack(app, estate, estate.openstackSites.find((s) => s.name === ref.site)!);
        break;
      case "aws":
        new AwsSiteStack(app, estate, estate.awsSite!);
        break;
      case "traffic":
        new TrafficStack(app, estate);
        break;
      case "bake": {
        const builder = estate.bake.builders.find((b) => b.stackName === ref.name)!;
        new BakeStack(app, estate, estate.openstackSites.find((s) => s.name === builder.site)!, builder);
        break;
      }
    }
    built.push(ref);
  }
  return built;
}
