#!/usr/bin/env bash
# What one program leaves for the next, on the Node shims as under lvx.lua
# (lua5.4): the shims build a program's environment and check the shared
# state with host functions of their own (fengari.js: env_builder,
# watcher), and build the result frames in JS (lvx-node.js). Checked:
# globals and library changes stay in the program's copies; a change to
# the real libraries or to a type's metatable is found (detail, VM
# restarted) and gone for the next program; the copies are wired as Lua
# wires them (package.loaded, _G, the string metatable); hooks and an
# exit code do not outlive their program; the frame fields come back
# byte for byte (NUL, bytes over 127, an empty error string).
. "$(dirname "$0")/lib.sh"
set -e

fresh=$(prog fresh.lua <<'LUA'
x = 1 string.foo = 1 table.insert = nil
print(x, string.foo, ("").foo, table.insert)
LUA
)
wired=$(prog wired.lua <<'LUA'
print(package.loaded._G == _G, package.loaded.string == string, _G._G == _G,
      getmetatable("").__index == string, package.loaded.io == io,
      next(package.preload) == nil)
LUA
)
mt=$(prog mt.lua <<'LUA'
debug.setmetatable(0, {__index = function() return "mt" end}) print((1).x)
LUA
)
lib=$(prog lib.lua <<'LUA'
debug.getregistry()._LOADED.string.bar = 1
LUA
)
hook=$(prog hook.lua <<'LUA'
debug.sethook(function() end, "l") print(debug.gethook() ~= nil) os.exit(7)
LUA
)
after=$(prog after.lua <<'LUA'
print(x, string.foo, ("").foo, type(table.insert), getmetatable(0), string.bar,
      (debug.gethook()))
LUA
)
bytes=$(prog bytes.lua <<'LUA'
io.write("a\0b\255") error("", 0)
LUA
)

for vm in lua5.4 fengari wasmoon; do
  run_lvtest run "$fresh" "$wired" "$mt" "$after" "$lib" "$hook" "$after" "$bytes" \
    --vm "$vm" --json "$T_TMP/$vm.json"
  python3 - "$T_TMP/$vm.json" "$vm" >"$T_TMP/checks" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
vm = sys.argv[2]
res = [p["results"][0] for p in doc["programs"]]
OUT_BYTES = {"base64": "YQBi/w=="}          # "a\0b\255", not UTF-8
def check(cond, name):
    print(("ok " if cond else "not ok ") + vm + ": " + name)
check(len(res) == 8, "eight results")
fresh, wired, mt, after1, lib, hook, after2, raw = res
check(fresh["outcome"] == "ok" and fresh["output"] == "1\t1\t1\tnil\n",
      "a program changes its own globals and library copies: %r" % fresh["output"])
check(not fresh["restarted"] and fresh["detail"] == "", "... which is not a change of shared state")
check(wired["output"] == "true\ttrue\ttrue\ttrue\ttrue\ttrue\n",
      "package.loaded, _G, the string metatable name the program's copies: %r" % wired["output"])
check(mt["output"] == "mt\n" and "changed a number metatable" in mt["detail"] and mt["restarted"],
      "a type's metatable changed: found and the VM restarted (%r)" % mt["detail"])
check(lib["detail"] == "changed the real string library" and lib["restarted"],
      "the real string library changed through the registry: found (%r)" % lib["detail"])
want = "nil\tnil\tnil\tfunction\tnil\tnil\tnil\n"
check(after1["output"] == want and after2["output"] == want,
      "the next programs see none of it: %r, %r" % (after1["output"], after2["output"]))
check(hook["outcome"] == "exit" and hook["exit_code"] == 7 and hook["output"] == "true\n",
      "a program with a hook exits with its code")
check(raw["outcome"] == "error" and raw["output"] == OUT_BYTES,
      "output bytes come back as written: %r" % raw["output"])
check(raw["error_type"] == "string" and raw["error_value"] == "",
      "an empty error string stays a string error")
PY
  while IFS= read -r line; do
    case "$line" in
      ok\ *) ok 0 "${line#ok }" ;;
      *) ok 1 "${line#not ok }" ;;
    esac
  done <"$T_TMP/checks"
done
done_testing
