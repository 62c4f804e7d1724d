/**
 * The bad-input corpus: every file under test/fixtures/bad/, the one mistake it makes, and where and how the loader
 * must report it. test/model/bad-input.test.ts asserts each row; test/fixtures/bad/README.md renders the same table.
 *
 * Each file is environments/dev.yaml with one mistake a person really makes (or, for the not-an-environment
 * cases, a whole file of the wrong kind).
 */
import { join } from "node:path";

export const BAD_FIXTURES_DIR = "test/fixtures/bad";

export interface BadCase {
  /** File name under test/fixtures/bad/. */
  readonly file: string;
  /** The mistake, in the words of the person who made it. */
  readonly mistake: string;
  /** Path inside the file, as the error prints it (`formatPath`), or "(top level)" for the whole file. */
  readonly path: string;
  /** 1-based line the problem is reported at; undefined when it concerns the whole file. */
  readonly line?: number;
  /** A fragment of the message that says what is wrong, specific to this mistake. */
  readonly fragment: string;
}

export const BAD_CASES: readonly BadCase[] = [
  // YAML itself
  { file: "yaml-bad-indentation.yaml", mistake: "one key of a site indented by 5 spaces instead of 6", path: "sites.openstack[1]", line: 37, fragment: "this line does not fit the structure around it: check its indentation" },
  { file: "yaml-unclosed-quote.yaml", mistake: 'version: "2026.11.1 without the closing quote', path: "images[0]", line: 72, fragment: "a quoted value has no closing quote" },
  { file: "yaml-tab-indentation.yaml", mistake: "a line indented with tabs", path: "sites.openstack[2]", line: 51, fragment: "a tab is used for indentation; YAML indents with spaces only" },
  { file: "yaml-duplicate-key.yaml", mistake: "subnetCidr written twice in one site", path: "sites.openstack[0].subnetCidr", line: 29, fragment: 'key "subnetCidr" appears twice in the same mapping' },
  { file: "yaml-missing-colon.yaml", mistake: '"flavor m1.medium" without the colon', path: "services[1]", line: 95, fragment: 'has the form "key: value"' },
  { file: "yaml-unknown-alias.yaml", mistake: "*zones alias without a &zones anchor", path: "sites.openstack[2].availabilityZones", line: 52, fragment: "alias *zones refers to no anchor" },
  { file: "yaml-multiple-documents.yaml", mistake: "a second document (---) appended to the file", path: "(top level)", line: 121, fragment: "the file holds more than one YAML document" },
  { file: "yaml-alias-bomb.yaml", mistake: "nested anchors and aliases (billion laughs) that would expand to 9^9 entries", path: "lol.b[0]", line: 124, fragment: "YAML aliases expand to too many copies" },
  // keys
  { file: "unknown-key-top-level.yaml", mistake: "monitorng: instead of monitoring:", path: "monitorng", line: 115, fragment: 'unknown key "monitorng"; did you mean "monitoring"?' },
  { file: "unknown-key-site-typo.yaml", mistake: "subnetCdir: in a site", path: "sites.openstack[1].subnetCdir", line: 41, fragment: 'unknown key "subnetCdir"; did you mean "subnetCidr"?' },
  { file: "unknown-key-aws-case.yaml", mistake: "vpcCIDR: instead of vpcCidr:", path: "sites.aws.vpcCIDR", line: 66, fragment: 'unknown key "vpcCIDR"; did you mean "vpcCidr"?' },
  { file: "unknown-key-service-typo.yaml", mistake: "instancePerSite: (missing s) in a service", path: "services[1].instancePerSite", line: 97, fragment: 'unknown key "instancePerSite"; did you mean "instancesPerSite"?' },
  { file: "unknown-key-listener-typo.yaml", mistake: "backendport: in lower case in a listener", path: "services[0].listeners[0].backendport", line: 87, fragment: 'unknown key "backendport"; did you mean "backendPort"?' },
  { file: "unknown-key-healthcheck-typo.yaml", mistake: "interval: instead of intervalSec: in a health check", path: "services[0].healthCheck.interval", line: 88, fragment: 'unknown key "interval"; did you mean "intervalSec"?' },
  { file: "missing-required-key.yaml", mistake: "a service without flavor:", path: "services[0].flavor", line: 80, fragment: 'missing required key "flavor" (text)' },
  { file: "missing-services-section.yaml", mistake: "the whole services: section deleted", path: "services", line: 3, fragment: 'missing required key "services" (a list)' },
  { file: "empty-value.yaml", mistake: "subnetCidr: left empty", path: "sites.openstack[2].subnetCidr", line: 54, fragment: '"subnetCidr" has no value; expected text' },
  // types
  { file: "type-string-for-number.yaml", mistake: 'instancesPerSite: "3" (quoted)', path: "services[0].instancesPerSite", line: 84, fragment: 'expected a number, got the text "3"; remove the quotes' },
  { file: "type-list-for-map.yaml", mistake: "vips written as a list of single-key mappings", path: "sites.openstack[0].vips", line: 32, fragment: "expected a mapping (key: value lines), got a list of 2 items" },
  { file: "type-number-for-name.yaml", mistake: "a service named 42", path: "services[1].name", line: 93, fragment: "expected text, got the number 42" },
  { file: "type-string-for-list.yaml", mistake: "adminCidrs: given one CIDR instead of a list", path: "adminCidrs", line: 6, fragment: 'expected a list, got the text "192.0.2.0/26"' },
  { file: "type-text-for-boolean.yaml", mistake: 'bake.enabled: "no" (quoted)', path: "bake.enabled", line: 111, fragment: 'expected true or false, got the text "no"' },
  { file: "image-version-unquoted-number.yaml", mistake: "version: 2026.11 without quotes (YAML reads a number)", path: "images[0].version", line: 72, fragment: 'got the number 2026.11; YAML reads 2026.11 as a number: put it in quotes to keep it as text, e.g. "2026.11"' },
  { file: "aws-owner-unquoted-number.yaml", mistake: "AMI owner account id without quotes", path: "images[0].aws.owner", line: 77, fragment: "expected text, got the number 123456789012" },
  // names
  { file: "name-uppercase.yaml", mistake: "service name Web with a capital letter", path: "services[0].name", line: 80, fragment: 'service name must be lower-case letters, digits and single dashes, starting with a letter (e.g. "os-a"); got the text "Web"' },
  { file: "name-too-long.yaml", mistake: "an environment name of 28 characters", path: "name", line: 3, fragment: "environment name must be at most 24 characters" },
  { file: "duplicate-site-name.yaml", mistake: "two sites named os-b", path: "sites.openstack[2].name", line: 49, fragment: 'duplicate site name "os-b" (first at sites.openstack[1].name)' },
  { file: "duplicate-service-name.yaml", mistake: "two services named web", path: "services[1].name", line: 93, fragment: 'duplicate service name "web" (first at services[0].name)' },
  { file: "duplicate-image-name.yaml", mistake: "two images named debian12", path: "images[1].name", line: 78, fragment: 'duplicate image name "debian12" (first at images[0].name)' },
  { file: "host-name-too-long.yaml", mistake: "environment, site and service names that together make a 64-character host name", path: "services[1].name", line: 93, fragment: "is longer than 63 characters, the limit for a host name" },
  // sites and networks
  { file: "too-few-openstack-sites.yaml", mistake: "only two OpenStack sites", path: "sites.openstack", line: 22, fragment: "an estate needs at least three OpenStack sites (active-active); got 2" },
  { file: "overlapping-site-cidrs.yaml", mistake: "os-c subnet 10.16.0.0/12 covering os-b's 10.20.0.0/20", path: "sites.openstack[2].subnetCidr", line: 54, fragment: '10.16.0.0/12 overlaps 10.20.0.0/20 of site "os-b"' },
  { file: "overlapping-openstack-aws-cidr.yaml", mistake: "AWS VPC 10.30.0.0/16 covering os-c's subnet", path: "sites.aws.vpcCidr", line: 66, fragment: '10.30.0.0/16 overlaps 10.30.0.0/20 of site "os-c"' },
  { file: "cidr-bad-octet.yaml", mistake: "subnetCidr 10.256.0.0/20", path: "sites.openstack[1].subnetCidr", line: 41, fragment: "256 is over 255" },
  { file: "cidr-prefix-over-32.yaml", mistake: "admin CIDR 192.0.2.0/33", path: "adminCidrs[0]", line: 7, fragment: 'the prefix length after "/" must be a number from 0 to 32, got "33"' },
  { file: "cidr-host-bits-set.yaml", mistake: "subnetCidr 10.10.1.0/20 (host bits set)", path: "sites.openstack[0].subnetCidr", line: 28, fragment: '"10.10.1.0/20" has host bits set: the /20 network containing 10.10.1.0 is 10.10.0.0/20' },
  { file: "dns-server-not-an-address.yaml", mistake: "a DNS server given by name", path: "sites.openstack[2].dnsServers[0]", line: 55, fragment: '"ns1.example.net" is not an IPv4 address' },
  { file: "block-size-not-power-of-two.yaml", mistake: "ipam.blockSize: 300", path: "ipam.blockSize", line: 15, fragment: "blockSize must be a power of two of at least 64, got 300" },
  // VIPs
  { file: "vip-outside-external-network.yaml", mistake: "os-b web VIP taken from os-a's external range", path: "sites.openstack[1].vips.web", line: 46, fragment: "VIP 198.51.100.7 is outside the external network public (198.51.100.64/26)" },
  { file: "vip-inside-site-subnet.yaml", mistake: "a VIP from the site's own private subnet", path: "sites.openstack[0].vips.web", line: 33, fragment: 'VIP 10.10.0.10 is inside the private network 10.10.0.0/20 of site "os-a"' },
  { file: "duplicate-vip.yaml", mistake: "web and api given the same VIP", path: "sites.openstack[0].vips.api", line: 34, fragment: "VIP 198.51.100.10 is already used by os-a/web" },
  { file: "vip-for-unknown-service.yaml", mistake: "a VIP for a service that does not exist", path: "sites.openstack[2].vips.db", line: 61, fragment: 'no service named "db"; VIPs are keyed by service name (web, api)' },
  // routes
  { file: "next-hop-outside-subnet.yaml", mistake: "os-b route via os-a's router address", path: "sites.openstack[1].routes[0].nextHop", line: 44, fragment: "next hop 10.10.0.254 is not on the site subnet 10.20.0.0/20" },
  { file: "route-destination-not-cidr.yaml", mistake: "route destination 10.0.0.0 without a prefix length", path: "sites.openstack[2].routes[0].destination", line: 57, fragment: '"10.0.0.0" has no prefix length' },
  { file: "route-duplicate-destination.yaml", mistake: "two routes to 10.0.0.0/16 in one site", path: "sites.openstack[0].routes[1].destination", line: 32, fragment: "route to 10.0.0.0/16 is already defined by routes[0]" },
  // capacity and address blocks
  { file: "too-many-instances-for-block.yaml", mistake: "300 instances per site in a block of 256", path: "services[0].instancesPerSite", line: 84, fragment: "300 instances do not fit in one address block of 256 (at most 254)" },
  { file: "ipblock-outside-subnet.yaml", mistake: "ipBlock 40 in /20 subnets that hold 16 blocks", path: "services[1].ipBlock", line: 98, fragment: 'ipBlock 40 is outside site "os-a" subnet 10.10.0.0/20, which holds blocks 0..15' },
  { file: "aws-instances-exceed-block.yaml", mistake: "800 AWS instances over 3 zones (267 per zone block)", path: "services[0].instancesBySite.aws", line: 85, fragment: "800 instances over 3 zones put 267 in one zone" },
  { file: "ipblock-collision.yaml", mistake: "two services with ipBlock 1 (same fixed IPs)", path: "services[1].ipBlock", line: 98, fragment: 'ipBlock 1 is already used by service "web": the two fleets would get the same fixed IPs' },
  { file: "instances-negative.yaml", mistake: "instancesPerSite: -1", path: "services[0].instancesPerSite", line: 84, fragment: "instancesPerSite must not be negative; use 0 to run no instances; got the number -1" },
  { file: "instances-fractional.yaml", mistake: "instancesPerSite: 2.5", path: "services[1].instancesPerSite", line: 97, fragment: "expected a whole number, got 2.5" },
  { file: "unknown-site-in-instances-by-site.yaml", mistake: "instancesBySite for a site os-d that does not exist", path: "services[1].instancesBySite.os-d", line: 98, fragment: 'no site named "os-d" (known: os-a, os-b, os-c, aws)' },
  // images
  { file: "unknown-image.yaml", mistake: "image: debain12 (typo)", path: "services[1].image", line: 94, fragment: 'no golden image named "debain12" (known: debian12); did you mean "debian12"?' },
  { file: "image-missing-for-site.yaml", mistake: "the image has no reference for os-b, where services run", path: "images[0].openstack", line: 73, fragment: 'image "debian12" has no reference for site "os-b", where service "web" runs' },
  { file: "image-without-aws-reference.yaml", mistake: "the image has no aws: reference while services run in AWS", path: "images[0].aws", line: 71, fragment: 'image "debian12" has no AWS reference, but service "web" runs 3 instance(s) in site "aws"' },
  { file: "image-reference-wrong-key.yaml", mistake: "{image: ...} instead of {name: ...} for an OpenStack image", path: "images[0].openstack.os-a", line: 74, fragment: "an OpenStack image reference is either {name: <Glance image name>} or {id: <Glance image UUID>}; got a mapping with key image" },
  { file: "image-reference-plain-text.yaml", mistake: "an OpenStack image reference given as plain text", path: "images[0].openstack.os-a", line: 74, fragment: 'either {name: <Glance image name>} or {id: <Glance image UUID>}; got the text "debian12-golden-2026.11.1"' },
  { file: "aws-bad-ami-id.yaml", mistake: "ami: ami-12345 (too short)", path: "images[0].aws.ami", line: 77, fragment: 'not an AMI id: "ami-" and 8 or 17 hex digits, e.g. "ami-0123456789abcdef0"; got the text "ami-12345"' },
  // traffic
  { file: "weight-negative.yaml", mistake: "weight: -5", path: "sites.openstack[2].traffic.weight", line: 61, fragment: "weight must not be negative: use 0, or state: drained, to stop traffic to a site; got the number -5" },
  { file: "weight-not-a-number.yaml", mistake: "weight: heavy", path: "sites.aws.traffic.weight", line: 68, fragment: 'expected a number, got the text "heavy"' },
  { file: "weight-over-255.yaml", mistake: "weight: 300", path: "sites.aws.traffic.weight", line: 68, fragment: "weight must be at most 255 (Route 53 weights); got the number 300" },
  { file: "every-site-drained.yaml", mistake: "every site set to state: drained", path: "sites", line: 21, fragment: "every site is drained or has weight 0: the estate would take no traffic at all" },
  { file: "traffic-state-typo.yaml", mistake: "state: drain instead of drained", path: "sites.aws.traffic.state", line: 68, fragment: 'traffic.state must be "active" or "drained"; got the text "drain"' },
  { file: "hosted-zone-both-forms.yaml", mistake: "a hosted zone with both id: and create: true", path: "traffic.hostedZone", line: 107, fragment: "hostedZone is either {id: <existing Route 53 zone id>, domain: ...} or {create: true, domain: ...}, not both; got a mapping with keys id, create, domain" },
  // listeners and health checks
  { file: "port-zero.yaml", mistake: "listener port 0", path: "services[1].listeners[0].port", line: 100, fragment: "a port must be from 1 to 65535; got the number 0" },
  { file: "port-70000.yaml", mistake: "backendPort 70000", path: "services[0].listeners[0].backendPort", line: 87, fragment: "a port must be from 1 to 65535; got the number 70000" },
  { file: "port-text-http.yaml", mistake: "port: http (a service name instead of a number)", path: "services[0].listeners[0].port", line: 87, fragment: 'a port must be a number from 1 to 65535; expected a number, got the text "http"' },
  { file: "duplicate-listener-port.yaml", mistake: "two listeners on port 5432", path: "services[1].listeners[1].port", line: 101, fragment: "port 5432 is used by two listeners of this service" },
  { file: "listener-protocol-http2.yaml", mistake: "listener protocol HTTP2 (Octavia does not accept it)", path: "services[0].listeners[0].protocol", line: 87, fragment: 'listener protocol must be one of HTTP, HTTPS, TCP, UDP, TERMINATED_HTTPS (Octavia protocols); got the text "HTTP2"' },
  { file: "listener-protocol-lowercase.yaml", mistake: "listener protocol tcp in lower case", path: "services[1].listeners[0].protocol", line: 100, fragment: 'listener protocol must be one of HTTP, HTTPS, TCP, UDP, TERMINATED_HTTPS (Octavia protocols); got the text "tcp"; values are case-sensitive: write "TCP"' },
  { file: "terminated-https-without-tls.yaml", mistake: "a TERMINATED_HTTPS listener without tls:", path: "services[0].listeners[0]", line: 87, fragment: "a TERMINATED_HTTPS listener needs tls: {openstackContainerRef, awsCertificateArn}" },
  { file: "healthcheck-path-no-slash.yaml", mistake: "health check path healthz without the leading /", path: "services[0].healthCheck.path", line: 88, fragment: 'a health-check path must start with "/", e.g. "/healthz"; got the text "healthz"' },
  { file: "healthcheck-http-without-path.yaml", mistake: "an HTTP health check without path:", path: "services[0].healthCheck.path", line: 88, fragment: "an HTTP health check needs a path, e.g. path: /healthz" },
  { file: "healthcheck-protocol-unknown.yaml", mistake: "health check protocol PING", path: "services[1].healthCheck.protocol", line: 101, fragment: 'must be one of "HTTP", "HTTPS", "TCP"; got the text "PING"' },
  { file: "placement-typo.yaml", mistake: "placement: antiaffinity (no dash)", path: "services[1].placement", line: 102, fragment: 'must be one of "anti-affinity", "soft-anti-affinity", "none"; got the text "antiaffinity"' },
  { file: "backend-type-typo.yaml", mistake: "backend type: Local (capitalised)", path: "backend.type", line: 18, fragment: 'type must be one of "local", "s3"; got the text "Local"; values are case-sensitive: write "local"' },
  // state backends: what `terraform init` or S3 would refuse
  { file: "backend-s3-bucket-uppercase.yaml", mistake: "bucket: Estate-Dev-State (S3 bucket names are lower case)", path: "backend.bucket", line: 19, fragment: 'bucket "Estate-Dev-State" has upper-case letters; S3 bucket names are lower case: write "estate-dev-state"' },
  { file: "backend-s3-bucket-underscore.yaml", mistake: "bucket: estate_dev_state (underscores)", path: "backend.bucket", line: 19, fragment: 'bucket "estate_dev_state" contains "_"; S3 bucket names hold only lower-case letters, digits, dots and dashes' },
  { file: "backend-s3-bucket-too-short.yaml", mistake: "bucket: tf (two characters)", path: "backend.bucket", line: 19, fragment: 'bucket "tf" has 2 characters; S3 bucket names have 3 to 63' },
  { file: "backend-s3-bucket-ip-address.yaml", mistake: "bucket: 192.168.5.4 (an IP address)", path: "backend.bucket", line: 19, fragment: 'bucket "192.168.5.4" is formatted as an IP address, which S3 refuses' },
  { file: "backend-s3-bucket-reserved-suffix.yaml", mistake: "bucket ending in -s3alias (reserved for access points)", path: "backend.bucket", line: 19, fragment: 'ends with "-s3alias", a suffix S3 reserves' },
  { file: "backend-s3-region-typo.yaml", mistake: "backend region: eu-wset-1 without an endpoint", path: "backend.region", line: 20, fragment: "Terraform's S3 backend refuses a region AWS does not have" },
  { file: "backend-s3-key-prefix-leading-slash.yaml", mistake: "keyPrefix: /dev", path: "backend.keyPrefix", line: 21, fragment: 'keyPrefix "/dev" starts or ends with "/"' },
  { file: "backend-s3-key-prefix-trailing-slash.yaml", mistake: "keyPrefix: dev/ (the key would hold //)", path: "backend.keyPrefix", line: 21, fragment: 'keyPrefix "dev/" starts or ends with "/": the state keys (<keyPrefix>/<stack>.tfstate) would start with "/" or hold "//", which Terraform\'s S3 backend refuses; write it without slashes at either end, e.g. "dev"' },
  { file: "backend-s3-key-prefix-double-slash.yaml", mistake: "keyPrefix: estate//dev", path: "backend.keyPrefix", line: 21, fragment: 'keyPrefix "estate//dev" holds "//", which Terraform\'s S3 backend refuses in a key; write it without slashes at either end, e.g. "estate/dev"' },
  { file: "backend-s3-key-prefix-empty.yaml", mistake: 'keyPrefix: "" (the keys would start with /)', path: "backend.keyPrefix", line: 21, fragment: 'keyPrefix is empty: the state keys would start with "/"' },
  { file: "backend-s3-endpoint-no-scheme.yaml", mistake: "endpoint: minio.internal:9000 without http(s)://", path: "backend.endpoint", line: 22, fragment: 'endpoint "minio.internal:9000" is not a URL: write the scheme and host' },
  { file: "backend-s3-endpoint-ftp.yaml", mistake: "endpoint: ftp://s3.storage.example.net", path: "backend.endpoint", line: 22, fragment: 'endpoint "ftp://s3.storage.example.net" uses "ftp"; the API is reached over https (or http)' },
  { file: "backend-s3-endpoint-credentials.yaml", mistake: "endpoint with user:password@ in the URL", path: "backend.endpoint", line: 22, fragment: "endpoint holds credentials (user:password@) in the URL; remove them" },
  { file: "backend-s3-locking-typo.yaml", mistake: "locking: dynamo", path: "backend.locking", line: 22, fragment: 'locking must be one of lockfile, dynamodb, both; got the text "dynamo"' },
  { file: "backend-s3-dynamodb-without-table.yaml", mistake: "locking: dynamodb without dynamodbTable", path: "backend.locking", line: 22, fragment: "locking: dynamodb takes a lock in DynamoDB: add dynamodbTable" },
  { file: "backend-s3-table-without-locking.yaml", mistake: "dynamodbTable set while locking stays lockfile (the table would be ignored)", path: "backend.dynamodbTable", line: 22, fragment: 'dynamodbTable is set but locking is lockfile (the default), so Terraform would not use the table: write "locking: both"' },
  { file: "backend-s3-dynamodb-endpoint-without-table.yaml", mistake: "dynamodbEndpoint set while locking stays lockfile", path: "backend.dynamodbEndpoint", line: 22, fragment: "dynamodbEndpoint is set but locking is lockfile, so Terraform would not use DynamoDB" },
  { file: "backend-s3-dynamodb-table-bad-name.yaml", mistake: 'dynamodbTable: "estate dev locks" (spaces)', path: "backend.dynamodbTable", line: 23, fragment: 'dynamodbTable "estate dev locks" is not a DynamoDB table name' },
  { file: "backend-s3-lock-table-renamed.yaml", mistake: "lockTable: (the earlier name of dynamodbTable)", path: "backend.lockTable", line: 22, fragment: 'lockTable is now dynamodbTable (Terraform\'s dynamodb_table), with a locking mode: write "locking: dynamodb" to keep locking as it was' },
  { file: "backend-local-directory-absolute.yaml", mistake: "local state directory: /var/lib/terraform-state", path: "backend.directory", line: 19, fragment: 'directory "/var/lib/terraform-state" is absolute' },
  { file: "backend-local-directory-escapes.yaml", mistake: "local state directory: ../shared/terraform-state", path: "backend.directory", line: 19, fragment: 'directory "../shared/terraform-state" leads out of the project' },
  // AWS site
  { file: "aws-region-typo.yaml", mistake: "region: eu-wset-1", path: "sites.aws.region", line: 64, fragment: '"eu-wset-1" is not an AWS region name' },
  { file: "aws-too-few-azs.yaml", mistake: "one AWS availability zone", path: "sites.aws.availabilityZones", line: 67, fragment: "an AWS site needs at least two availability zones for its load balancers; got 1" },
  { file: "aws-az-not-in-region.yaml", mistake: "an availability zone of another region (eu-central-1c in eu-west-1)", path: "sites.aws.availabilityZones[2]", line: 67, fragment: 'availability zone "eu-central-1c" is not in region eu-west-1' },
  { file: "aws-subnet-prefix-does-not-fit.yaml", mistake: "subnetPrefixLength 17: six /17 zone subnets in a /16 VPC", path: "sites.aws.subnetPrefixLength", line: 67, fragment: "3 zones need 6 subnets of /17, which do not fit in 10.40.0.0/16" },
  // what a construct or a cloud API would refuse at synthesis or plan time, caught in the model
  { file: "service-only-in-drained-sites.yaml", mistake: "api kept only in os-c, then os-c drained", path: "services[1].name", line: 93, fragment: 'service "api" runs only in sites that take no traffic (os-c: drained)' },
  { file: "udp-only-service.yaml", mistake: "a service with only a UDP listener behind Route 53", path: "services[1].listeners", line: 99, fragment: "every listener is UDP, which Route 53 health checks cannot probe" },
  { file: "vip-private-address.yaml", mistake: "an external network and VIPs in 172.16.0.0/12 while traffic goes through Route 53", path: "sites.openstack[2].vips.web", line: 59, fragment: "VIP 172.16.0.10 is a private address; Route 53 health checkers probe from the internet and cannot reach it" },
  { file: "healthcheck-timeout-over-interval.yaml", mistake: "health check timeoutSec 15 with intervalSec 10", path: "services[0].healthCheck.timeoutSec", line: 88, fragment: "timeoutSec (15) must not exceed intervalSec (10); a probe would outlast its own interval" },
  { file: "environment-name-reserved-by-aws.yaml", mistake: "environment named sg (AWS reserves the sg- prefix)", path: "name", line: 3, fragment: 'environment name "sg" would make AWS load balancer and security group names start with "sg-"' },
  { file: "aws-vpc-prefix-too-short.yaml", mistake: "AWS VPC 172.16.0.0/12 (larger than AWS allows)", path: "sites.aws.vpcCidr", line: 66, fragment: "172.16.0.0/12 has a /12 prefix; AWS accepts VPCs from /16 to /28" },
  { file: "admin-cidr-whole-internet.yaml", mistake: "adminCidrs: 0.0.0.0/0", path: "adminCidrs[0]", line: 7, fragment: "0.0.0.0/0 would open SSH to the whole internet" },
  { file: "host-name-collision.yaml", mistake: 'site "os-a-x" and service "x-web" whose host names join to the same string', path: "services[1].name", line: 93, fragment: 'hosts of service "x-web" in site "os-a" and of service "web" in site "os-a-x" would both be named dev-os-a-x-web-NNN' },
  { file: "stack-name-collision.yaml", mistake: "a site named traffic (its stack would be dev-traffic)", path: "sites.openstack[2].name", line: 49, fragment: 'stack name "dev-traffic" would be used by both the traffic stack and site "traffic"' },
  { file: "duplicate-availability-zone.yaml", mistake: "eu-west-1a listed twice", path: "sites.aws.availabilityZones[2]", line: 67, fragment: 'availability zone "eu-west-1a" is listed twice' },
  { file: "aws-owner-not-an-account.yaml", mistake: "AMI owner: debian instead of an account id", path: "images[0].aws.owner", line: 77, fragment: 'owner must be a 12-digit AWS account id in quotes (e.g. "123456789012") or one of self, amazon, aws-marketplace; got the text "debian"' },
  { file: "aws-region-is-a-zone.yaml", mistake: "region: eu-west-1a (a zone)", path: "sites.aws.region", line: 64, fragment: '"eu-west-1a" is an availability zone, not a region; the region is probably "eu-west-1"' },
  // credentials
  { file: "credential-password-key.yaml", mistake: "password: pasted into a site", path: "sites.openstack[0].password", line: 25, fragment: '"password" looks like a credential; never put credentials in an environment file' },
  { file: "credential-aws-access-key-id.yaml", mistake: "an AWS access key id (AKIA…) pasted as the profile", path: "sites.aws.profile", line: 65, fragment: "value looks like an AWS access key id" },
  { file: "credential-aws-secret-access-key.yaml", mistake: "aws_secret_access_key: pasted into the AWS site", path: "sites.aws.aws_secret_access_key", line: 66, fragment: '"aws_secret_access_key" looks like a credential' },
  { file: "credential-pem-private-key.yaml", mistake: "a PEM private key pasted as ssh.publicKey", path: "ssh.publicKey", line: 12, fragment: "value looks like a private key" },
  { file: "credential-application-credential-secret.yaml", mistake: "application_credential_secret: pasted into a site", path: "sites.openstack[1].application_credential_secret", line: 38, fragment: '"application_credential_secret" looks like a credential' },
  { file: "credential-in-comment.yaml", mistake: "an AWS access key id left in a comment", path: "sites.openstack[0].cloud", line: 24, fragment: "a comment holds what looks like an AWS access key id" },
  // not an environment file at all
  { file: "empty-file.yaml", mistake: "an empty file", path: "(top level)", fragment: "file is empty" },
  { file: "only-comments.yaml", mistake: "every line commented out", path: "(top level)", fragment: "file has no settings, only comments or blank lines" },
  { file: "not-yaml-json-array.yaml", mistake: "a JSON array instead of an environment", path: "(top level)", fragment: 'the top level is a list ("- " items or [...]), not a mapping' },
  { file: "not-yaml-prose.yaml", mistake: "a paragraph of prose", path: "(top level)", fragment: "file holds plain text" },
  { file: "not-yaml-binary.yaml", mistake: "a gzip archive named .yaml", path: "(top level)", fragment: "file is binary (it contains NUL bytes), not a YAML environment file" },
  { file: "top-level-list.yaml", mistake: "the whole environment written as a list item", path: "(top level)", fragment: 'the top level is a list ("- " items or [...]), not a mapping' },
  { file: "non-utf8.yaml", mistake: "a Latin-1 encoded ü in a value", path: "(top level)", line: 51, fragment: "file is not UTF-8 text: byte 0xFC is not valid UTF-8" },
];

/** The generated case: a file over the 1 MiB limit, written by the test into a temporary directory. */
export const HUGE_CASE: BadCase = {
  file: "huge-file.yaml",
  mistake: "a 1.5 MiB file (a log pasted under a comment), over the 1 MiB limit; generated by the test, not committed",
  path: "(top level)",
  fragment: "over the 1048576-byte limit for an environment file",
};

export function fixturePath(file: string): string {
  return join(BAD_FIXTURES_DIR, file);
}

/** The corpus as a Markdown table, as test/fixtures/bad/README.md holds it. */
export function renderCorpusTable(cases: readonly BadCase[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const rows = cases.map((c) => `| \`${c.file}\` | ${cell(c.mistake)} | \`${c.path}\`${c.line ? ` (line ${c.line})` : ""} | ${cell(c.fragment)} |`);
  return ["| file | the mistake | reported at | expected message fragment |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
