#!/usr/bin/env bash
# Stands up a real OpenStack control plane (Debian bookworm's Zed packages) on this machine, every API on
# 127.0.0.1, for the tests that drive OpenStack APIs (test/system/*.test.ts). Idempotent: a second run reuses what
# the first one installed, created and started. No systemd: every daemon runs under setsid, its PID in $RUN_DIR.
#
#   bash test/system/openstack/setup.sh          install, configure, start, create the fixture estate's objects
#   bash test/system/openstack/setup.sh stop     stop every daemon this script started
#   bash test/system/openstack/setup.sh status   list the daemons and whether they run
#
# Needs root on Debian 12 with Debian's mirror reachable. Writes:
#   $STATE_DIR/clouds.yaml   clouds local-os-a|b|c (admin) and local-member (member + load-balancer_member roles)
#   $LOG_DIR/<daemon>.log    one log per daemon
# Prints the setup time and the control plane's peak resident memory at the end.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
STATE_DIR="${ESTATE_OPENSTACK_STATE_DIR:-/var/lib/estate-openstack}"
LOG_DIR="${ESTATE_OPENSTACK_LOG_DIR:-/var/log/estate-openstack}"
RUN_DIR="$STATE_DIR/run"
SECRETS_DIR="$STATE_DIR/secrets"
CLOUDS_YAML="$STATE_DIR/clouds.yaml"
# Debian's interpreter: the OpenStack packages live in its dist-packages, whatever python3 comes first on PATH.
PY=/usr/bin/python3
GLUE_DIR=/usr/local/lib/python3.11/dist-packages
HOST=127.0.0.1
KEYSTONE_URL="http://$HOST:5000/v3"
REGION=RegionOne
# Availability zones of the fixture estate (test/fixtures/openstack-local/local.yaml); one fake compute host each.
ZONES=(az1 az2 az3)
# Bounded waits, in seconds.
WAIT_SERVICE_SEC=180
WAIT_COMPUTE_SEC=180

export DEBIAN_FRONTEND=noninteractive
umask 022
started_at=$(date +%s)

log() { printf '[openstack-setup %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------------------------------------------------
# Daemons
# ------------------------------------------------------------------------------------------------------------
running() { local pid; [ -f "$RUN_DIR/$1.pid" ] && pid=$(cat "$RUN_DIR/$1.pid") && kill -0 "$pid" 2>/dev/null; }

# start NAME USER CONFIGS CMD...: runs CMD as USER in its own session (its PID is its process group). A daemon
# already running is left alone unless one of its CONFIGS (space-separated files) changed since it started.
start() {
  local name=$1 user=$2 configs=$3 sum; shift 3
  # shellcheck disable=SC2086 # CONFIGS is a list of paths without spaces
  sum=$(cat $configs | sha256sum | cut -c1-16)
  if running "$name"; then
    [ "$(cat "$RUN_DIR/$name.sum" 2>/dev/null)" != "$sum" ] || return 0
    log "restarting $name: its configuration changed"
    stop_one "$name"
  fi
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  setsid setpriv --reuid="$user" --regid="$user" --init-groups "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
  echo "$sum" >"$RUN_DIR/$name.sum"
  log "started $name (pid $!)"
}

stop_one() {
  local pid i
  pid=$(cat "$RUN_DIR/$1.pid" 2>/dev/null) || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/$1.pid" "$RUN_DIR/$1.sum"
}

stop_all() {
  local f
  for f in "$RUN_DIR"/*.pid; do
    [ -e "$f" ] || continue
    stop_one "$(basename "$f" .pid)"
  done
  log "stopped"
}

status_all() {
  local f name
  for f in "$RUN_DIR"/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    if running "$name"; then echo "$name running"; else echo "$name STOPPED (see $LOG_DIR/$name.log)"; fi
  done
}

# wait_for WHAT SECONDS CMD...: retries CMD every 2 s until it succeeds or the time is up.
wait_for() {
  local what=$1 limit=$2 deadline; shift 2
  deadline=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$what not ready after ${limit}s; logs in $LOG_DIR"
    sleep 2
  done
}

http_up() { curl -s -o /dev/null --max-time 5 "$1"; }

# Peak resident memory of every daemon this script started (their sessions), sampled every 2 s.
PEAK_FILE="$STATE_DIR/peak-rss-kib"
sample_memory() {
  local sids total peak
  while sleep 2; do
    sids=$(cat "$RUN_DIR"/*.pid 2>/dev/null | paste -sd, -) || continue
    [ -n "$sids" ] || continue
    total=$(ps -o rss= --sid "$sids" 2>/dev/null | awk '{s+=$1} END {print s+0}')
    peak=$(cat "$PEAK_FILE" 2>/dev/null || echo 0)
    [ "$total" -le "$peak" ] || echo "$total" >"$PEAK_FILE"
  done
}

# ------------------------------------------------------------------------------------------------------------
# Secrets: generated once per machine, kept in $SECRETS_DIR (root only); never in the repository.
# ------------------------------------------------------------------------------------------------------------
secret() {
  local file="$SECRETS_DIR/$1"
  if [ ! -s "$file" ]; then
    (umask 077 && mkdir -p "$SECRETS_DIR" && openssl rand -hex 16 >"$file")
  fi
  cat "$file"
}

# ------------------------------------------------------------------------------------------------------------
# 1. Packages
# ------------------------------------------------------------------------------------------------------------
install_packages() {
  local pkgs=() missing=() p
  mapfile -t pkgs < <(grep -v '^#' "$HERE/packages.txt" | grep -v '^$')
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ "${#missing[@]}" -eq 0 ]; then log "packages already installed"; return; fi
  log "installing ${#missing[@]} packages (and their dependencies)"
  # Debian's OpenStack packages offer to create databases and Keystone endpoints through debconf: decline, this
  # script configures everything itself. Daemons must not start from postinst (no systemd; policy-rc.d says so).
  for p in keystone glance-common glance-api placement-common placement-api nova-common nova-api neutron-common \
    neutron-server cinder-common cinder-api octavia-common octavia-api; do
    printf '%s %s/configure_db boolean false\n%s %s/register-endpoint boolean false\n%s %s/dbconfig-install boolean false\n' \
      "$p" "$p" "$p" "$p" "$p" "$p"
  done | debconf-set-selections
  if [ ! -x /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d; fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold "${missing[@]}" >"$LOG_DIR/apt-install.log" 2>&1 ||
    { tail -30 "$LOG_DIR/apt-install.log"; die "apt-get install failed"; }
}

install_glue() {
  # The drivers standing in for hardware, and the entry points Neutron and Octavia load them by.
  mkdir -p "$GLUE_DIR"
  rm -rf "$GLUE_DIR/estate_openstack_glue" "$GLUE_DIR"/estate_openstack_glue-*.dist-info
  cp -r "$HERE/glue/estate_openstack_glue" "$HERE"/glue/estate_openstack_glue-*.dist-info "$GLUE_DIR/"
  $PY -c 'import estate_openstack_glue' || die "glue package not importable from $GLUE_DIR"
}

# ------------------------------------------------------------------------------------------------------------
# 2. MariaDB, RabbitMQ, memcached
# ------------------------------------------------------------------------------------------------------------
DATABASES=(keystone glance placement nova_api nova nova_cell0 neutron cinder octavia)
db_user() { case $1 in nova_api | nova_cell0) echo nova ;; *) echo "$1" ;; esac; }
db_url() { echo "mysql+pymysql://$(db_user "$1"):$(secret "db-$(db_user "$1")")@$HOST/$1"; }

start_infrastructure() {
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  start mariadb mysql /etc/mysql/my.cnf /usr/sbin/mariadbd --bind-address=$HOST --max-connections=1000
  wait_for "MariaDB" "$WAIT_SERVICE_SEC" mariadb-admin ping
  local db sql=""
  for db in "${DATABASES[@]}"; do
    local user pw
    user=$(db_user "$db") pw=$(secret "db-$user")
    sql+="CREATE DATABASE IF NOT EXISTS $db; CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$pw';"
    # ALTER too: a user kept from an earlier run takes this run's password (secrets may have been removed).
    sql+="CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$pw'; ALTER USER '$user'@'127.0.0.1' IDENTIFIED BY '$pw';"
    sql+="ALTER USER '$user'@'localhost' IDENTIFIED BY '$pw';"
    sql+="GRANT ALL PRIVILEGES ON $db.* TO '$user'@'localhost'; GRANT ALL PRIVILEGES ON $db.* TO '$user'@'127.0.0.1';"
  done
  mariadb -e "$sql"

  cat >/etc/rabbitmq/rabbitmq-env.conf <<EOF
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=$HOST
export ERL_EPMD_ADDRESS=$HOST
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
  start rabbitmq rabbitmq /etc/rabbitmq/rabbitmq-env.conf env HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
  wait_for "RabbitMQ" "$WAIT_SERVICE_SEC" rabbitmqctl -q await_startup
  # Output captured first: under pipefail, `cmd | grep -q` fails when grep stops reading before cmd is done.
  local users
  users=$(rabbitmqctl -q list_users)
  grep -q '^openstack' <<<"$users" || rabbitmqctl -q add_user openstack "$(secret rabbitmq)"
  rabbitmqctl -q change_password openstack "$(secret rabbitmq)"
  rabbitmqctl -q set_permissions openstack '.*' '.*' '.*'

  start memcached memcache /dev/null /usr/bin/memcached -l $HOST -U 0 -m 64
}

transport_url() { echo "rabbit://openstack:$(secret rabbitmq)@$HOST:5672/"; }

# ------------------------------------------------------------------------------------------------------------
# 3. API services under uwsgi
# ------------------------------------------------------------------------------------------------------------
# uwsgi_api NAME USER CONFIG PORT WSGI_FILE PROCESSES [EXTRA_INI_LINES]: one uwsgi per API, bound to 127.0.0.1.
# threads = 1 everywhere: nova-api hangs on POST /servers with more (Debian's own nova-api-uwsgi.ini says 1).
uwsgi_api() {
  local name=$1 user=$2 config=$3 port=$4 wsgi=$5 processes=$6 extra=${7:-}
  mkdir -p "$STATE_DIR/uwsgi"
  cat >"$STATE_DIR/uwsgi/$name.ini" <<EOF
[uwsgi]
plugins = python3
master = true
processes = $processes
threads = 1
http-socket = $HOST:$port
wsgi-file = $wsgi
buffer-size = 65535
lazy-apps = true
die-on-term = true
no-orphans = true
need-app = true
# One request per connection: clients reusing a connection uwsgi has closed see "connection reset by peer".
add-header = Connection: close
chdir = /var/lib/$user
$extra
EOF
  start "$name" "$user" "$config $STATE_DIR/uwsgi/$name.ini" /usr/bin/uwsgi --ini "$STATE_DIR/uwsgi/$name.ini"
}

authtoken() {
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = http://$HOST:5000/
auth_url = http://$HOST:5000/
memcached_servers = $HOST:11211
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $(secret "keystone-$1")
EOF
}

# service_auth SECTION USER: a [SECTION] of keystoneauth password settings for calls to other services.
service_auth() {
  cat <<EOF
[$1]
auth_url = http://$HOST:5000/v3
auth_type = password
project_domain_name = Default
user_domain_name = Default
region_name = $REGION
project_name = service
username = $2
password = $(secret "keystone-$2")
EOF
}

as_user() { local user=$1; shift; setpriv --reuid="$user" --regid="$user" --init-groups "$@"; }

# quietly CMD...: runs CMD with its output in $LOG_DIR/setup-commands.log, shown only when it fails.
quietly() {
  local out
  out=$(mktemp)
  if ! "$@" >"$out" 2>&1; then
    cat "$out" >>"$LOG_DIR/setup-commands.log"
    tail -25 "$out"
    rm -f "$out"
    die "failed: $*"
  fi
  cat "$out" >>"$LOG_DIR/setup-commands.log"
  rm -f "$out"
}

setup_keystone() {
  cat >/etc/keystone/keystone.conf <<EOF
[database]
connection = $(db_url keystone)
[token]
provider = fernet
EOF
  quietly as_user keystone keystone-manage db_sync
  quietly keystone-manage fernet_setup --keystone-user keystone --keystone-group keystone
  quietly keystone-manage credential_setup --keystone-user keystone --keystone-group keystone
  # The password goes through the environment: a command line is visible to every user (ps).
  OS_BOOTSTRAP_PASSWORD=$(secret keystone-admin) quietly keystone-manage bootstrap \
    --bootstrap-admin-url "$KEYSTONE_URL/" --bootstrap-internal-url "$KEYSTONE_URL/" \
    --bootstrap-public-url "$KEYSTONE_URL/" --bootstrap-region-id "$REGION"
  uwsgi_api keystone keystone /etc/keystone/keystone.conf 5000 /usr/bin/keystone-wsgi-public 2
  wait_for "Keystone" "$WAIT_SERVICE_SEC" http_up "$KEYSTONE_URL"
  bootstrap services
}

# bootstrap STEP: cloud-side objects, created by one Python process (see bootstrap.py).
bootstrap() {
  local name
  for name in admin glance placement nova neutron cinder octavia estate-member; do secret "keystone-$name" >/dev/null; done
  ESTATE_SECRETS_DIR=$SECRETS_DIR OS_AUTH_URL=$KEYSTONE_URL OS_REGION_NAME=$REGION $PY "$HERE/bootstrap.py" "$1"
}

setup_glance() {
  cat >/etc/glance/glance-api.conf <<EOF
[DEFAULT]
show_image_direct_url = false
[database]
connection = $(db_url glance)
[glance_store]
stores = file
default_store = file
filesystem_store_datadir = /var/lib/glance/images/
$(authtoken glance)
[paste_deploy]
flavor = keystone
EOF
  mkdir -p /var/lib/glance/images && chown -R glance:glance /var/lib/glance
  quietly as_user glance glance-manage db_sync
  uwsgi_api glance-api glance /etc/glance/glance-api.conf 9292 /usr/bin/glance-wsgi-api 1 "$(printf '%s\n' 'http-auto-chunked = true' \
    'http-chunked-input = true' 'http-raw-body = true' 'wsgi-manage-chunked-input = true')"
}

setup_placement() {
  cat >/etc/placement/placement.conf <<EOF
[placement_database]
connection = $(db_url placement)
[api]
auth_strategy = keystone
$(authtoken placement)
EOF
  quietly as_user placement placement-manage db sync
  uwsgi_api placement-api placement /etc/placement/placement.conf 8778 /usr/bin/placement-api 1
}

nova_conf() {
  cat <<EOF
[DEFAULT]
transport_url = $(transport_url)
my_ip = $HOST
osapi_compute_listen = $HOST
enabled_apis = osapi_compute
# Nova's fake driver plus snapshot data (glue/); Nova loads drivers from nova.virt only, see start_computes.
compute_driver = estate_snapshot_fake.SnapshotFakeDriver
state_path = /var/lib/nova
# No agent reports VIF plugging with the fake driver.
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
# Seconds per GiB of image Cinder gets to re-image a boot volume (volume-backed rebuild): 20 by default, short
# for a busy 2-core machine.
reimage_timeout_per_gb = 120
[api]
auth_strategy = keystone
[api_database]
connection = $(db_url nova_api)
[database]
connection = $(db_url nova)
$(authtoken nova)
[glance]
api_servers = http://$HOST:9292
[oslo_concurrency]
lock_path = /var/lib/nova/tmp
$(service_auth placement placement)
$(service_auth neutron neutron)
[cinder]
os_region_name = $REGION
[vnc]
enabled = false
[scheduler]
discover_hosts_in_cells_interval = -1
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
EOF
}

setup_nova() {
  nova_conf >/etc/nova/nova.conf
  mkdir -p /var/lib/nova/tmp && chown -R nova:nova /var/lib/nova
  quietly as_user nova nova-manage api_db sync
  quietly as_user nova nova-manage cell_v2 map_cell0
  local cells
  cells=$(as_user nova nova-manage cell_v2 list_cells 2>/dev/null)
  grep -q '| cell1 ' <<<"$cells" || quietly as_user nova nova-manage cell_v2 create_cell --name=cell1
  quietly as_user nova nova-manage db sync
  uwsgi_api nova-api nova /etc/nova/nova.conf 8774 /usr/bin/nova-api-wsgi 2
  start nova-conductor nova /etc/nova/nova.conf /usr/bin/nova-conductor --config-file /etc/nova/nova.conf
  start nova-scheduler nova /etc/nova/nova.conf /usr/bin/nova-scheduler --config-file /etc/nova/nova.conf
}

# One compute service per availability zone, from python3-nova (the nova-compute package wants a hypervisor).
# Nova imports compute_driver from the nova.virt package only: the launcher registers the glue module there,
# after nova.cmd's eventlet monkey-patching, as nova.virt.estate_snapshot_fake.
start_computes() {
  local zone launcher
  launcher='import sys; from nova.cmd import compute; import estate_openstack_glue.nova as glue
sys.modules["nova.virt.estate_snapshot_fake"] = glue; sys.exit(compute.main())'
  for zone in "${ZONES[@]}"; do
    printf '[DEFAULT]\nhost = fake-%s\n' "$zone" >"/etc/nova/nova-compute-$zone.conf"
    start "nova-compute-$zone" nova "/etc/nova/nova.conf /etc/nova/nova-compute-$zone.conf $GLUE_DIR/estate_openstack_glue/nova.py" \
      $PY -c "$launcher" --config-file /etc/nova/nova.conf --config-file "/etc/nova/nova-compute-$zone.conf"
  done
}

setup_neutron() {
  cat >/etc/neutron/neutron.conf <<EOF
[DEFAULT]
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
bind_host = $HOST
bind_port = 9696
transport_url = $(transport_url)
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 1
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
[database]
connection = $(db_url neutron)
$(authtoken neutron)
$(service_auth nova nova)
[oslo_concurrency]
lock_path = /var/lib/neutron/tmp
EOF
  mkdir -p /etc/neutron/plugins/ml2
  # No L2 agent: the estate_bind_all mechanism driver (glue/) binds every port.
  cat >/etc/neutron/plugins/ml2/ml2_conf.ini <<EOF
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers = estate_bind_all
extension_drivers = port_security
[ml2_type_flat]
flat_networks = physnet1
[ml2_type_vxlan]
vni_ranges = 1:1000
EOF
  mkdir -p /var/lib/neutron/tmp && chown -R neutron:neutron /var/lib/neutron
  quietly as_user neutron neutron-db-manage --config-file /etc/neutron/neutron.conf \
    --config-file /etc/neutron/plugins/ml2/ml2_conf.ini upgrade head
  start neutron-server neutron "/etc/neutron/neutron.conf /etc/neutron/plugins/ml2/ml2_conf.ini $GLUE_DIR/estate_openstack_glue/ml2.py" /usr/bin/neutron-server --config-file /etc/neutron/neutron.conf \
    --config-file /etc/neutron/plugins/ml2/ml2_conf.ini
}

setup_cinder() {
  cat >/etc/cinder/cinder.conf <<EOF
[DEFAULT]
transport_url = $(transport_url)
auth_strategy = keystone
my_ip = $HOST
state_path = /var/lib/cinder
glance_api_servers = http://$HOST:9292
enabled_backends = fake
[database]
connection = $(db_url cinder)
$(authtoken cinder)
$(service_auth nova nova)
[oslo_concurrency]
lock_path = /var/lib/cinder/tmp
# Stores nothing: Cinder's own fake driver (python3-cinder), reporting image clones as done (glue/).
[fake]
volume_driver = estate_openstack_glue.cinder.ClonedImageFakeDriver
volume_backend_name = fake
EOF
  mkdir -p /var/lib/cinder/tmp && chown -R cinder:cinder /var/lib/cinder
  quietly as_user cinder cinder-manage db sync
  uwsgi_api cinder-api cinder /etc/cinder/cinder.conf 8776 /usr/bin/cinder-wsgi 1
  start cinder-scheduler cinder /etc/cinder/cinder.conf /usr/bin/cinder-scheduler --config-file /etc/cinder/cinder.conf
  start cinder-volume cinder "/etc/cinder/cinder.conf $GLUE_DIR/estate_openstack_glue/cinder.py" /usr/bin/cinder-volume --config-file /etc/cinder/cinder.conf
}

# A CA and a client certificate: the noop amphora flows still read [controller_worker] client_ca.
octavia_certificates() {
  local dir=/etc/octavia/certs
  [ -s "$dir/client.pem" ] && return
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=estate-test-octavia-ca" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=estate-test-octavia-controller" \
    -keyout "$dir/client.key" -out "$dir/client.csr" 2>/dev/null
  openssl x509 -req -in "$dir/client.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 3650 \
    -out "$dir/client.crt" 2>/dev/null
  cat "$dir/client.crt" "$dir/client.key" >"$dir/client.pem"
  chown -R octavia:octavia "$dir" && chmod 700 "$dir"
}

setup_octavia() {
  local mgmt_net
  mgmt_net=$(bootstrap mgmt-net)
  octavia_certificates
  cat >/etc/octavia/octavia.conf <<EOF
[DEFAULT]
transport_url = $(transport_url)
[api_settings]
bind_host = $HOST
bind_port = 9876
auth_strategy = keystone
enabled_provider_drivers = amphora:The Octavia Amphora driver.
default_provider_driver = amphora
[database]
connection = $(db_url octavia)
[health_manager]
bind_ip = $HOST
bind_port = 5555
controller_ip_port_list = $HOST:5555
heartbeat_key = $(secret octavia-heartbeat)
$(authtoken octavia)
[certificates]
ca_certificate = /etc/octavia/certs/ca.pem
ca_private_key = /etc/octavia/certs/ca.key
[haproxy_amphora]
client_cert = /etc/octavia/certs/client.pem
server_ca = /etc/octavia/certs/ca.pem
[controller_worker]
# No amphora instances: Octavia's noop amphora and compute drivers; real Neutron VIPs (glue/).
amphora_driver = amphora_noop_driver
compute_driver = compute_noop_driver
network_driver = estate_hybrid_driver
amp_boot_network_list = $mgmt_net
amp_image_tag = amphora
amp_flavor_id = estate-amphora
client_ca = /etc/octavia/certs/ca.pem
loadbalancer_topology = SINGLE
$(service_auth service_auth octavia)
[oslo_messaging]
topic = octavia_prov
[oslo_concurrency]
lock_path = /var/lib/octavia/tmp
EOF
  mkdir -p /var/lib/octavia/tmp && chown -R octavia:octavia /var/lib/octavia
  quietly as_user octavia octavia-db-manage --config-file /etc/octavia/octavia.conf upgrade head
  uwsgi_api octavia-api octavia /etc/octavia/octavia.conf 9876 /usr/bin/octavia-wsgi 1
  start octavia-worker octavia "/etc/octavia/octavia.conf $GLUE_DIR/estate_openstack_glue/octavia.py" /usr/bin/octavia-worker --config-file /etc/octavia/octavia.conf
  start octavia-health-manager octavia /etc/octavia/octavia.conf /usr/bin/octavia-health-manager --config-file /etc/octavia/octavia.conf
  start octavia-housekeeping octavia /etc/octavia/octavia.conf /usr/bin/octavia-housekeeping --config-file /etc/octavia/octavia.conf
}

wait_for_apis() {
  local port
  for port in 9292 8778 8774 9696 8776 9876; do
    wait_for "the API on port $port" "$WAIT_SERVICE_SEC" http_up "http://$HOST:$port/"
  done
}

# ------------------------------------------------------------------------------------------------------------
# 4. What the fixture estate (test/fixtures/openstack-local/local.yaml) expects of its cloud
# ------------------------------------------------------------------------------------------------------------
create_fixture_objects() {
  bootstrap wait-services
  quietly as_user nova nova-manage cell_v2 discover_hosts
  bootstrap fixtures
}

write_clouds_yaml() {
  local admin member cloud
  admin=$(secret keystone-admin) member=$(secret keystone-estate-member)
  (
    umask 077
    {
      echo "# Written by test/system/openstack/setup.sh: the local test control plane. Do not commit."
      echo "clouds:"
      for cloud in local-os-a local-os-b local-os-c; do
        printf '  %s:\n    auth: {auth_url: "%s", username: admin, password: "%s", project_name: admin, user_domain_name: Default, project_domain_name: Default}\n    region_name: %s\n    identity_api_version: 3\n' \
          "$cloud" "$KEYSTONE_URL" "$admin" "$REGION"
      done
      printf '  local-member:\n    auth: {auth_url: "%s", username: estate-member, password: "%s", project_name: estate, user_domain_name: Default, project_domain_name: Default}\n    region_name: %s\n    identity_api_version: 3\n' \
        "$KEYSTONE_URL" "$member" "$REGION"
    } >"$CLOUDS_YAML.tmp"
    mv "$CLOUDS_YAML.tmp" "$CLOUDS_YAML"
  )
}

main() {
  case "${1:-up}" in
    stop) stop_all; return ;;
    status) status_all; return ;;
    up) ;;
    *) echo "usage: $0 [up|stop|status]" >&2; exit 2 ;;
  esac
  [ "$(id -u)" -eq 0 ] || die "run as root"
  mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR"
  rm -f "$PEAK_FILE"
  sample_memory &
  SAMPLER_PID=$!
  trap 'kill "$SAMPLER_PID" 2>/dev/null || true' EXIT

  install_packages
  install_glue
  start_infrastructure
  setup_keystone
  setup_glance
  setup_placement
  setup_nova
  setup_neutron
  setup_cinder
  wait_for "Neutron" "$WAIT_SERVICE_SEC" http_up "http://$HOST:9696/"
  setup_octavia
  start_computes
  wait_for_apis
  create_fixture_objects
  write_clouds_yaml
  OS_CLIENT_CONFIG_FILE=$CLOUDS_YAML openstack --os-cloud local-os-a token issue -f value -c id >/dev/null ||
    die "clouds.yaml written but local-os-a cannot get a token"

  local peak_kib
  peak_kib=$(cat "$PEAK_FILE" 2>/dev/null || echo 0)
  log "control plane ready in $(($(date +%s) - started_at)) s; peak resident memory $((peak_kib / 1024)) MiB" \
    "($(status_all | grep -c running) daemons); clouds.yaml: $CLOUDS_YAML; logs: $LOG_DIR"
}

main "$@"
