"""Fails when a crate depends on one its layer must not reach: the web layer (pages and API)
goes through kabinet-service, which is the only gate to the store (access checks, audit).
Reads `cargo metadata --format-version 1 --no-deps` on stdin."""

import json
import sys

# crate -> crates it must not depend on (as a normal dependency; tests may use anything)
FORBIDDEN = {"kabinet-web": {"kabinet-store"}, "kabinet-core": {"kabinet-store", "kabinet-web"}}

metadata = json.load(sys.stdin)
problems = []
for package in metadata["packages"]:
    banned = FORBIDDEN.get(package["name"], set())
    for dependency in package["dependencies"]:
        if dependency["name"] in banned and dependency["kind"] is None:
            problems.append(f"{package['name']} depends on {dependency['name']}")
if problems:
    sys.exit("layering broken: " + "; ".join(problems) + " (see docs/ARCHITECTURE.md)")
print("layering ok")
