/**
 * A team's own cdktf app on top of hybrid-estate: the bundled dev environment, built by HybridEstate exactly as
 * `estate synth` builds it, plus one rule per site that lets the admin networks ping the web fleet. Everything is
 * imported through the package's exports, as any project that installed it would.
 *
 * Run: npm run synth   (writes cdktf.out/stacks/<stack>/cdk.tf.json; set CDKTF_OUTDIR to write elsewhere)
 */
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { App } from "cdktf";
import { HybridEstate, loadEnvironment } from "hybrid-estate";
import { networkingSecgroupRuleV2 } from "hybrid-estate/openstack";

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out", stackTraces: false });

// The YAML front end: the same checks and located errors as the CLI. Your own file works the same way.
const estate = loadEnvironment(require.resolve("hybrid-estate/environments/dev.yaml"));
const dev = new HybridEstate(app, estate.env, { estate });
const adminCidr = estate.adminCidrs[0];

// ICMP echo requests (type 8) from the admin networks to the web hosts of every OpenStack site.
for (const site of dev.openstackSites.values()) {
  const web = site.services.get("web");
  if (!web) throw new Error(`${site.node.id} runs no web service`);
  new networkingSecgroupRuleV2.NetworkingSecgroupRuleV2(web.securityGroup, "PingFromAdmin", {
    securityGroupId: web.securityGroup.securityGroupId,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "icmp",
    portRangeMin: 8,
    portRangeMax: 0,
    remoteIpPrefix: adminCidr,
    description: "ICMP echo from the admin networks",
  });
}

// The same in the AWS site: for ICMP, from_port is the type and to_port the code.
const awsWeb = dev.awsSite?.services.get("web");
if (!awsWeb) throw new Error("the dev estate has no web service in its AWS site");
new VpcSecurityGroupIngressRule(awsWeb.security, "PingFromAdmin", {
  securityGroupId: awsWeb.security.instanceSecurityGroupId,
  ipProtocol: "icmp",
  fromPort: 8,
  toPort: 0,
  cidrIpv4: adminCidr,
  description: "ICMP echo from the admin networks",
});

// Site independence and the policy pack are checked here, before any stack is written.
app.synth();
