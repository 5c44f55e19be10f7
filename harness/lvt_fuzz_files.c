/*
** lvt_fuzz_files.c -- the files of one finding's example directory:
**   program.lua         the program (as generated: its header says how)
**   variant.lua         metamorphic findings: the variant that differs
**   result-<vm>.json    every VM's result (reports/SCHEMA.md "Run results")
**   finding.json        kind, signature, label, seed, profile, VMs, the
**                       oracle's explanation, the noise check
**   repro.sh            the exact lvtest command that shows it again
*/
#include "lvt_fuzz_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../reports/lvt_json.h"

void lvt_shell_quote(const char *sh, LvtBuf *out) {
  lvt_buf_addc(out, '\'');
  for (; *sh; sh++) {
    if (*sh == '\'') lvt_buf_adds(out, "'\\''");
    else lvt_buf_addc(out, *sh);
  }
  lvt_buf_addc(out, '\'');
}

/* Adds a JSON document as file 'name'. Takes the reference of 'j'. */
static void add_json(LvtFindingDir *d, const char *name, json_t *j) {
  char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  LvtBuf *b = lvt_fdir_add(d, name, text, strlen(text));
  lvt_buf_addc(b, '\n');
  free(text);
  json_decref(j);
}

/* The limits as options of 'lvtest run/compare'. */
static void limit_args(const LvtLimits *lim, LvtBuf *b) {
  if (lim->timeout_ms) lvt_buf_addf(b, " --timeout %ums", lim->timeout_ms);
  if (lim->mem_limit) lvt_buf_addf(b, " --mem-limit %zu", lim->mem_limit);
  if (lim->instr_limit) lvt_buf_addf(b, " --instr-limit %llu",
                                     (unsigned long long)lim->instr_limit);
  if (lim->deterministic) lvt_buf_adds(b, " --deterministic");
  if (!lim->allow_binary) lvt_buf_adds(b, " --no-binary");
}

static void repro(const LvtFuzzEvidence *ev, LvtFindingDir *d) {
  LvtBuf b = LVT_BUF_INIT;
  int i, n = ev->kind == LVT_FINDING_METAMORPHIC ? 1 : ev->n;
  lvt_buf_adds(&b, "#!/bin/sh\n# lvtest fuzz finding: ");
  lvt_buf_adds(&b, ev->signature);
  lvt_buf_addf(&b, "\n# program %llu of the campaign, seed 0x%016llx, profile %s\n",
               (unsigned long long)ev->index, (unsigned long long)ev->seed,
               lvt_fuzz_profile_name(ev->profile));
  switch (ev->kind) {
    case LVT_FINDING_DIVERGENCE:
      lvt_buf_adds(&b, "# Runs the program on the VMs that disagreed and compares them.\n");
      break;
    case LVT_FINDING_CRASH:
      lvt_buf_adds(&b, "# Runs the program on the VM that crashed.\n");
      break;
    default:
      lvt_buf_adds(&b, "# Runs the original and the variant on the VM: their results\n"
                       "# must be the same and are not.\n");
      break;
  }
  lvt_buf_adds(&b, "cd \"$(dirname \"$0\")\" || exit 3\nexec \"${LVTEST:-");
  lvt_buf_adds(&b, ev->c->self_exe ? ev->c->self_exe : "lvtest");
  lvt_buf_adds(&b, "}\" ");
  lvt_buf_adds(&b, ev->kind == LVT_FINDING_DIVERGENCE ? "compare program.lua" :
                   ev->kind == LVT_FINDING_CRASH ? "run program.lua" :
                   "run program.lua variant.lua");
  for (i = 0; i < n; i++) {
    lvt_buf_adds(&b, " --vm ");
    lvt_shell_quote(ev->spec[i], &b);
  }
  limit_args(&ev->c->lim, &b);
  if (ev->c->norm_rules && ev->kind == LVT_FINDING_DIVERGENCE) {
    lvt_buf_adds(&b, " --norm-rules ");
    lvt_shell_quote(ev->c->norm_rules, &b);
  }
  lvt_buf_adds(&b, " \"$@\"\n");
  lvt_fdir_add(d, "repro.sh", b.data, b.len);
  lvt_buf_reset(&b);
}

void lvt_fuzz_fill(void *ud, LvtFindingDir *d) {
  const LvtFuzzEvidence *ev = ud;
  json_t *j = json_object(), *vms = json_array(), *files = json_object();
  char seed[24], cseed[24];
  int i;
  lvt_fdir_add(d, "program.lua", ev->src, ev->len);
  if (ev->variant != NULL) lvt_fdir_add(d, "variant.lua", ev->variant, ev->vlen);
  for (i = 0; i < ev->n; i++) {
    json_t *r = lvt_json_encode_run(ev->run[i]);
    json_t *doc = json_object();
    json_object_set_new(doc, "vm", json_string(ev->vm[i]));
    json_object_set_new(doc, "spec", json_string(ev->spec[i]));
    json_object_set_new(doc, "result", r);
    add_json(d, ev->run_file[i], doc);
    if (i == 0 || strcmp(ev->vm[i], ev->vm[i - 1]) != 0)   /* metamorphic: one VM */
      json_array_append_new(vms, json_string(ev->vm[i]));
    json_object_set_new(files, ev->run_file[i], json_string(ev->vm[i]));
  }
  snprintf(seed, sizeof seed, "0x%016llx", (unsigned long long)ev->seed);
  snprintf(cseed, sizeof cseed, "0x%016llx", (unsigned long long)ev->c->seed);
  json_object_set_new(j, "schema", json_string("lvtest-finding"));
  json_object_set_new(j, "version", json_integer(1));
  json_object_set_new(j, "kind", json_string(lvt_finding_kind_name(ev->kind)));
  json_object_set_new(j, "signature", json_string(ev->signature));
  json_object_set_new(j, "label", json_string(ev->label));
  json_object_set_new(j, "index", json_integer((json_int_t)ev->index));
  json_object_set_new(j, "seed", json_string(seed));
  json_object_set_new(j, "campaign_seed", json_string(cseed));
  json_object_set_new(j, "profile", json_string(lvt_fuzz_profile_name(ev->profile)));
  json_object_set_new(j, "source", json_string(ev->c->replay_name ? ev->c->replay_name
                                                                  : "generator"));
  json_object_set_new(j, "vms", vms);
  json_object_set_new(j, "results", files);
  if (ev->variant != NULL) {
    json_object_set_new(j, "variant", json_integer((json_int_t)ev->k));
    json_object_set_new(j, "applied", json_string(ev->applied ? ev->applied : ""));
  }
  if (ev->explain != NULL) json_object_set_new(j, "explanation", json_string(ev->explain));
  if (ev->noise != NULL) json_object_set_new(j, "noise_check", json_string(ev->noise));
  json_object_set_new(j, "lvtest", json_string(LVT_VERSION));
  add_json(d, "finding.json", j);
  repro(ev, d);
}
