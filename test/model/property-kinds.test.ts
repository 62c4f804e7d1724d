/**
 * Property tests for cloud limits and strange characters (fast-check): random mutations of the dev estate that
 * produce a value of these kinds are refused at load, at the line of the mutation, never synthesized.
 *
 * 1. Random fleet sizes and limits: every loaded estate keeps each server group within `serverGroupMembers`, the
 *    groups of a site within `serverGroups`, and a host's group fixed by its index; an estate over a limit is
 *    refused naming the limit.
 * 2. An invisible character inserted anywhere in a setting's line is refused at that line.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { EnvironmentError, loadEnvironment } from "../../model";
import { devModel, writeEnvironment } from "../support/env";

const SCALE = Math.max(1, Number(process.env.ESTATE_PROPERTY_RUNS ?? "1") || 1);

describe("cloud limits under random fleet sizes", () => {
  it("GIVEN random instance counts and limits THEN the estate loads within every limit or is refused naming it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        (web, api, members, groups) => {
          let model;
          try {
            model = devModel((env) => {
              env.services[0].instancesPerSite = web;
              env.services[1].instancesPerSite = api;
              for (const site of env.sites.openstack) site.limits = { serverGroupMembers: members, serverGroups: groups };
            });
          } catch (err) {
            expect(err).toBeInstanceOf(EnvironmentError);
            const message = (err as EnvironmentError).message;
            expect(message).toMatch(/Nova server groups .* over the project quota of \d+ \(server_groups\)|do not fit|longer than 63/);
            expect(message).toMatch(/:\d+:\d+: /);
            return;
          }
          for (const site of model.openstackSites) {
            expect(site.services.reduce((n, s) => n + s.serverGroups.length, 0)).toBeLessThanOrEqual(groups);
            for (const placed of site.services) {
              const perGroup = new Map<number, number>();
              for (const h of placed.hosts) {
                expect(h.serverGroup).toBe(Math.ceil(h.index / members));
                perGroup.set(h.serverGroup!, (perGroup.get(h.serverGroup!) ?? 0) + 1);
              }
              for (const count of perGroup.values()) expect(count).toBeLessThanOrEqual(members);
              expect(perGroup.size).toBe(placed.serverGroups.length);
            }
          }
        },
      ),
      { numRuns: 40 * SCALE },
    );
  });
});

describe("invisible characters anywhere in a setting", () => {
  const lines = readFileSync("environments/dev.yaml", "utf8").split("\n");
  const settings = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== "" && !l.trimStart().startsWith("#"));

  it("GIVEN a zero-width space, no-break space, soft hyphen or byte order mark inserted in a line THEN refused at that line", () => {
    fc.assert(
      fc.property(fc.constantFrom(...settings), fc.nat(), fc.constantFrom("\u200b", "\u00a0", "\u00ad", "\ufeff", "\u2060"), ({ l, i }, at, ch) => {
        const column = at % (l.length + 1);
        const mutated = [...lines];
        mutated[i] = l.slice(0, column) + ch + l.slice(column);
        const file = writeEnvironment(mutated.join("\n"));
        let err: unknown;
        try {
          loadEnvironment(file);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(EnvironmentError);
        expect((err as EnvironmentError).problems.some((p) => p.line === i + 1 && /U\+[0-9A-F]{4}/.test(p.message))).toBe(true);
      }),
      { numRuns: 60 * SCALE },
    );
  });
});
