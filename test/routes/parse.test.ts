import { detectFormat, parseRoutingTable } from "../../routes";

describe("routing table formats", () => {
  it("GIVEN ip -j -p route output THEN gateway routes, on-link routes, types and multipath are read", () => {
    const text = `[ {
        "dst": "default",
        "gateway": "10.10.0.1",
        "dev": "eth0"
    },{
        "dst": "10.10.0.0/20",
        "dev": "eth0",
        "scope": "link"
    },{
        "type": "blackhole",
        "dst": "10.99.0.0/16"
    },{
        "dst": "10.70.1.2",
        "gateway": "10.10.0.111"
    },{
        "dst": "10.80.0.0/16",
        "nexthops": [ { "gateway": "10.10.0.2" }, { "gateway": "10.10.0.3" } ]
    } ]`;
    const { table, unreadable } = parseRoutingTable(text, "dir/web-01.json");
    expect(unreadable).toEqual([]);
    expect(table).toEqual({
      server: "web-01",
      file: "dir/web-01.json",
      format: "ip-json",
      routes: [
        { destination: "0.0.0.0/0", nextHop: "10.10.0.1", kind: "unicast" },
        { destination: "10.10.0.0/20", kind: "unicast" },
        { destination: "10.99.0.0/16", kind: "blackhole" },
        { destination: "10.70.1.2/32", nextHop: "10.10.0.111", kind: "unicast" },
        { destination: "10.80.0.0/16", kind: "multipath" },
      ],
    });
  });

  it("GIVEN ip route show output THEN types, bare addresses and multipath nexthop lines are read", () => {
    const text = [
      "default via 10.10.0.1 dev eth0 proto static",
      "10.10.0.0/20 dev eth0 proto kernel scope link src 10.10.1.10",
      "unreachable 10.98.0.0/16",
      "10.70.1.2 via 10.10.0.111 dev eth0",
      "10.80.0.0/16 proto static",
      "\tnexthop via 10.10.0.2 dev eth0 weight 1",
      "\tnexthop via 10.10.0.3 dev eth0 weight 1",
      "",
    ].join("\n");
    const { table, unreadable } = parseRoutingTable(text, "db-01.txt");
    expect(unreadable).toEqual([]);
    expect(table?.format).toBe("ip-route");
    expect(table?.routes).toEqual([
      { destination: "0.0.0.0/0", nextHop: "10.10.0.1", kind: "unicast" },
      { destination: "10.10.0.0/20", kind: "unicast" },
      { destination: "10.98.0.0/16", kind: "unreachable" },
      { destination: "10.70.1.2/32", nextHop: "10.10.0.111", kind: "unicast" },
      { destination: "10.80.0.0/16", kind: "multipath" },
    ]);
  });

  it("GIVEN route -n and netstat -rn output THEN the Genmask gives the prefix length and the header tells them apart", () => {
    const rows = [
      "0.0.0.0         10.10.0.1       0.0.0.0         UG    0      0        0 eth0",
      "10.10.0.0       0.0.0.0         255.255.240.0   U     0      0        0 eth0",
      "10.60.1.0       10.10.0.110     255.255.255.0   UG    0      0        0 eth0",
      "10.97.0.0       -               255.255.0.0     !     0      -        0 -",
    ];
    const route = parseRoutingTable(["Kernel IP routing table", "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface", ...rows].join("\n"), "a.txt");
    const netstat = parseRoutingTable(["Kernel IP routing table", "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface", ...rows].join("\n"), "b.txt");
    expect(route.unreadable).toEqual([]);
    expect(route.table?.format).toBe("route-n");
    expect(netstat.table?.format).toBe("netstat-rn");
    expect(route.table?.routes).toEqual([
      { destination: "0.0.0.0/0", nextHop: "10.10.0.1", kind: "unicast" },
      { destination: "10.10.0.0/20", kind: "unicast" },
      { destination: "10.60.1.0/24", nextHop: "10.10.0.110", kind: "unicast" },
      { destination: "10.97.0.0/16", kind: "unreachable" },
    ]);
    expect(netstat.table?.routes).toEqual(route.table?.routes);
  });

  it("GIVEN unreadable lines THEN each is reported with its file and line number", () => {
    const ip = parseRoutingTable(["default via 10.10.0.1 dev eth0", "10.60.1.0/24 via 10.10.0.300 dev eth0", "10.60.1.7/24 via 10.10.0.110"].join("\n"), "t/web.txt");
    expect(ip.unreadable).toEqual([
      { file: "t/web.txt", line: 2, problem: expect.stringMatching(/^next hop "10\.10\.0\.300" is not an IPv4 address/) },
      { file: "t/web.txt", line: 3, problem: 'destination "10.60.1.7/24" has host bits set (the network is 10.60.1.0/24)' },
    ]);
    const nettools = parseRoutingTable(["Kernel IP routing table", "Destination Gateway Genmask Flags Metric Ref Use Iface", "10.60.1.0 10.10.0.110 255.0.255.0 UG 0 0 0 eth0", "garbage"].join("\n"), "t/db.txt");
    expect(nettools.unreadable).toEqual([
      { file: "t/db.txt", line: 3, problem: "genmask 255.0.255.0 is not a contiguous netmask" },
      { file: "t/db.txt", line: 4, problem: 'expected Destination Gateway Genmask Flags ..., got "garbage"' },
    ]);
    const json = parseRoutingTable('[\n  {"dst": "default", "gateway": "10.10.0.1"},\n  {"dst": "10.1.0.0/33"},\n  {"gateway": "10.10.0.9"}\n]', "t/app.json");
    expect(json.unreadable).toEqual([
      { file: "t/app.json", line: 3, problem: expect.stringMatching(/^route \[1\] destination "10\.1\.0\.0\/33" is not an IPv4 network/) },
      { file: "t/app.json", line: 4, problem: 'route [2] has no "dst" string' },
    ]);
    expect(parseRoutingTable('[\n {"dst": "default",\n', "t/cut.json").unreadable).toEqual([{ file: "t/cut.json", line: 3, problem: expect.stringMatching(/^not valid JSON/) }]);
  });

  it("GIVEN a file that is no routing table THEN line 1 names the four accepted formats", () => {
    expect(detectFormat("Routing tables\n\nInternet:\n")).toBeUndefined();
    expect(parseRoutingTable("hello\n", "x.txt").unreadable).toEqual([
      { file: "x.txt", line: 1, problem: "not a routing table: expected the output of `ip -j route`, `ip route show`, `route -n` or `netstat -rn`" },
    ]);
  });
});
