/*
** lvt_console.c -- rendering for the terminal.
*/
#include "lvt_console.h"

#include <string.h>

#define ESC(c, code) ((c)->color ? "\033[" code "m" : "")
const char *lvt_con_red(const LvtConsole *c) { return ESC(c, "31"); }
const char *lvt_con_green(const LvtConsole *c) { return ESC(c, "32"); }
const char *lvt_con_yellow(const LvtConsole *c) { return ESC(c, "33"); }
const char *lvt_con_dim(const LvtConsole *c) { return ESC(c, "2"); }
const char *lvt_con_bold(const LvtConsole *c) { return ESC(c, "1"); }
const char *lvt_con_reset(const LvtConsole *c) { return ESC(c, "0"); }

static const char *outcome_color(const LvtConsole *c, LvtOutcome o) {
  switch (o) {
    case LVT_RUN_OK: return lvt_con_green(c);
    case LVT_RUN_ERROR: case LVT_RUN_EXIT: return lvt_con_yellow(c);
    default: return lvt_con_red(c);
  }
}

void lvt_console_vms(LvtConsole *c, const LvtVmSet *set, const char *ref_version) {
  size_t i, wname = 4, wver = 7;
  for (i = 0; i < set->n; i++) {
    const LvtVmSlot *s = &set->slot[i];
    size_t n = strlen(s->spec.name);
    if (n > wname) wname = n;
    if (s->vm && strlen(s->vm->info.version) > wver) wver = strlen(s->vm->info.version);
  }
  for (i = 0; i < set->nabsent; i++)
    if (strlen(set->absent[i].name) > wname) wname = strlen(set->absent[i].name);
  fprintf(c->f, "%s%-*s  %-7s  %-*s  %-9s  %s%s\n", lvt_con_bold(c), (int)wname, "NAME",
          "DIALECT", (int)wver, "VERSION", "SELFTEST", "RUN AS", lvt_con_reset(c));
  for (i = 0; i < set->n; i++) {
    const LvtVmSlot *s = &set->slot[i];
    LvtBuf how = LVT_BUF_INIT;
    size_t k;
    if (s->spec.is_ref && ref_version != NULL)
      lvt_buf_addf(&how, "linked in (Lua %s); worker 'lvtest __lvx-ref'", ref_version);
    else
      lvt_buf_adds(&how, s->spec.how ? s->spec.how : "");
    for (k = 0; s->aliases && s->aliases[k]; k++)
      lvt_buf_addf(&how, "%s%s", k == 0 ? "  (also: " : ", ", s->aliases[k]);
    if (s->aliases && s->aliases[0]) lvt_buf_addc(&how, ')');
    if (s->vm != NULL) {
      fprintf(c->f, "%-*s  %-7s  %-*s  %s%-9s%s  %s\n", (int)wname, s->spec.name,
              lvt_dialect_name(s->vm->info.dialect), (int)wver, s->vm->info.version,
              lvt_con_green(c), s->selftested ? "pass" : "skipped", lvt_con_reset(c),
              lvt_buf_str(&how));
      if (c->verbose) {
        LvtBuf caps = LVT_BUF_INIT;
        lvt_caps_format(s->vm->info.caps, &caps);
        if (caps.len == 0) lvt_buf_adds(&caps, "none detected");
        fprintf(c->f, "%-*s  %scapabilities: %s; started in %.0f ms%s\n", (int)wname, "",
                lvt_con_dim(c), lvt_buf_str(&caps), s->start_ms, lvt_con_reset(c));
        lvt_buf_reset(&caps);
      }
    } else {
      fprintf(c->f, "%-*s  %-7s  %-*s  %s%-9s%s  %s\n", (int)wname, s->spec.name, "-",
              (int)wver, "-", lvt_con_red(c), "FAILED", lvt_con_reset(c), lvt_buf_str(&how));
      fprintf(c->f, "%-*s  %s%s%s\n", (int)wname, "", lvt_con_red(c), s->why, lvt_con_reset(c));
    }
    lvt_buf_reset(&how);
  }
  /* Peers that are not installed: why, and what to do. */
  for (i = 0; i < set->nabsent; i++)
    fprintf(c->f, "%-*s  %-7s  %-*s  %s%-9s%s  %s\n", (int)wname, set->absent[i].name, "-",
            (int)wver, "-", lvt_con_dim(c), "absent", lvt_con_reset(c), set->absent[i].why);
}

void lvt_console_cell(LvtConsole *c, const LvtVmSlot *slot, const LvtCell *cell) {
  const LvtRun *r = &cell->run;
  LvtBuf b = LVT_BUF_INIT;
  if (!cell->ran) {
    fprintf(c->f, "-- %s: %s%s%s\n", slot->spec.name, lvt_con_red(c), cell->note,
            lvt_con_reset(c));
    return;
  }
  fprintf(c->f, "-- %s: %s%s%s", slot->spec.name, outcome_color(c, r->outcome),
          lvt_outcome_name(r->outcome), lvt_con_reset(c));
  if (r->outcome == LVT_RUN_EXIT) fprintf(c->f, " (code %d)", r->exit_code);
  if (r->outcome == LVT_RUN_CRASH && r->signal) fprintf(c->f, " (signal %d)", r->signal);
  else if (r->outcome == LVT_RUN_CRASH && r->status >= 0) fprintf(c->f, " (exit status %d)", r->status);
  fprintf(c->f, "%s  %.1f ms", lvt_con_dim(c), r->wall_ms);
  if (r->peak_mem) fprintf(c->f, ", peak %.1f MiB", (double)r->peak_mem / 1048576.0);
  if (r->restarted) fprintf(c->f, ", VM restarted");
  fprintf(c->f, "%s\n", lvt_con_reset(c));
  if (r->out.len) {
    lvt_buf_add_escaped(&b, r->out.data, r->out.len, c->verbose ? (size_t)-1 : 4096, LVT_ESC_NEWLINE | LVT_ESC_TAB);
    fprintf(c->f, "%s%s", lvt_buf_str(&b), (b.len && b.data[b.len - 1] == '\n') ? "" : "\n");
    if (r->out_truncated) fprintf(c->f, "%s[output truncated at the --max-output cap]%s\n",
                                  lvt_con_yellow(c), lvt_con_reset(c));
  }
  if (r->outcome == LVT_RUN_ERROR) {
    lvt_buf_clear(&b);
    lvt_buf_add_escaped(&b, r->err_value.data, r->err_value.len, 2048, LVT_ESC_TAB);
    fprintf(c->f, "   error (%s): %s\n", r->err_type[0] ? r->err_type : "?", lvt_buf_str(&b));
  }
  if (r->detail.len) fprintf(c->f, "   %s%s%s\n", lvt_con_dim(c), lvt_buf_str(&r->detail), lvt_con_reset(c));
  if (r->errout.len && (c->verbose || r->outcome == LVT_RUN_CRASH)) {
    lvt_buf_clear(&b);
    lvt_buf_add_escaped(&b, r->errout.data, r->errout.len, c->verbose ? 65536 : 2048, LVT_ESC_NEWLINE | LVT_ESC_TAB);
    fprintf(c->f, "   stderr:\n%s%s", lvt_buf_str(&b), (b.len && b.data[b.len - 1] == '\n') ? "" : "\n");
  }
  lvt_buf_reset(&b);
}

void lvt_console_excluded(LvtConsole *c, const LvtVmSet *set) {
  size_t i;
  for (i = 0; i < set->n; i++)
    if (set->slot[i].vm == NULL)
      fprintf(c->f, "%sexcluded VM %s: %s%s\n", lvt_con_red(c), set->slot[i].spec.name,
              set->slot[i].why, lvt_con_reset(c));
}
