/*
** test_ref_bin.c -- lvt_ref_bin_dir (vm/lvt_ref.c): a private directory of
** 'lua' and 'luac' links to the lvtest binary, that run the reference's
** standalone programs; its errors leave nothing behind; the remover.
** Needs $LVTEST (the lvtest binary, set by ctest).
*/
#include "vm/lvt_ref.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/tap.h"
#include "tests/unit/file_fixture.h"

static char parent[] = "/tmp/lvt-test-refbin-XXXXXX";

/* Runs 'cmd' with sh and returns its first line of output (static buffer;
** "" when none) and its exit status in '*status'. */
static const char *first_line(const char *cmd, int *status) {
  static char line[512];
  FILE *f = popen(cmd, "r");
  line[0] = '\0';
  *status = -1;
  if (f == NULL) return line;
  if (fgets(line, sizeof line, f) != NULL) line[strcspn(line, "\n")] = '\0';
  while (fgetc(f) != EOF) {}
  *status = pclose(f);
  return line;
}

static void test_links(const char *lvtest) {
  char exe[PATH_MAX], path[PATH_MAX], target[PATH_MAX], cmd[PATH_MAX + 64];
  const char *names[] = {"lua", "luac"};
  struct stat st;
  char *dir = NULL;
  LvtErr e = {0, ""};
  int rc, i, status;
  const char *base;

  rc = lvt_ref_bin_dir(lvtest, parent, &dir, &e);
  TAP_IS_INT(rc, LVT_OK, "lvt_ref_bin_dir succeeds (%s)", e.msg);
  if (dir == NULL) return;
  base = strrchr(dir, '/');
  TAP_OK(strncmp(dir, parent, strlen(parent)) == 0 && base != NULL &&
         strncmp(base, "/lvt-refbin-", 12) == 0 && strlen(base) == 18,
         "the directory is <parent>/lvt-refbin-XXXXXX: %s", dir);
  TAP_OK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700,
         "... a directory private to the user (0700)");
  TAP_IS_INT(dir_entries(dir, NULL), 2, "... holding two entries");
  TAP_OK(realpath(lvtest, exe) != NULL, "realpath of $LVTEST");
  for (i = 0; i < 2; i++) {
    ssize_t n;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    TAP_OK(lstat(path, &st) == 0 && S_ISLNK(st.st_mode), "%s is a symlink", names[i]);
    n = readlink(path, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    TAP_IS_STR(target, exe, "%s points to the absolute lvtest binary", names[i]);
  }

  snprintf(cmd, sizeof cmd, "cd / && '%s/lua' -e 'print(6 * 7, arg[0]:match(\"[^/]*$\"))' </dev/null",
           dir);
  TAP_IS_STR(first_line(cmd, &status), "42\tlua", "<dir>/lua runs the reference interpreter");
  TAP_IS_INT(status, 0, "... and exits 0");
  snprintf(cmd, sizeof cmd, "'%s/luac' -v </dev/null", dir);
  TAP_OK(strncmp(first_line(cmd, &status), "Lua 5.4", 7) == 0, "<dir>/luac is the compiler");
  snprintf(cmd, sizeof cmd, "'%s/lua' -e 'os.exit(5)' </dev/null", dir);
  first_line(cmd, &status);
  TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 5, "<dir>/lua: os.exit(5) exits 5");

  lvt_ref_bin_dir_remove(dir);
  TAP_OK(lstat(dir, &st) != 0, "lvt_ref_bin_dir_remove removes the directory");
  TAP_OK(stat(exe, &st) == 0, "... but not what the links point to");
  free(dir);
  lvt_ref_bin_dir_remove(NULL);
  TAP_OK(1, "lvt_ref_bin_dir_remove(NULL) is a no-op");
}

/* Two bin dirs under the same parent are distinct; with no parent,
** $TMPDIR is used. */
static void test_fresh(const char *lvtest) {
  char *a = NULL, *b = NULL;
  LvtErr e = {0, ""};
  int ra = lvt_ref_bin_dir(lvtest, parent, &a, &e);
  int rb;
  setenv("TMPDIR", parent, 1);
  rb = lvt_ref_bin_dir(lvtest, NULL, &b, &e);
  TAP_OK(ra == LVT_OK && rb == LVT_OK && a != NULL && b != NULL && strcmp(a, b) != 0,
         "each call makes a fresh directory");
  TAP_OK(b != NULL && strncmp(b, parent, strlen(parent)) == 0,
         "with no parent it goes under $TMPDIR: %s", b ? b : "(none)");
  TAP_IS_INT(dir_entries(parent, NULL), 2, "... two directories under the parent");
  lvt_ref_bin_dir_remove(a);
  lvt_ref_bin_dir_remove(b);
  free(a);
  free(b);
  TAP_IS_INT(dir_entries(parent, NULL), 0, "... and both are removed");
}

/* Errors: '*dir' NULL, a message that names the culprit, nothing left. */
static void test_errors(const char *lvtest) {
  char sentinel[] = "untouched", *dir = sentinel;
  char missing[PATH_MAX + 16], notexe[PATH_MAX + 16];
  LvtErr e = {0, ""};
  FILE *f;
  int rc;

  snprintf(missing, sizeof missing, "%s/no-such-binary", parent);
  rc = lvt_ref_bin_dir(missing, parent, &dir, &e);
  TAP_IS_INT(rc, LVT_ERR_IO, "a missing binary: LVT_ERR_IO");
  TAP_OK(dir == NULL, "... '*dir' is NULL");
  TAP_OK(strstr(e.msg, "no-such-binary") != NULL, "... the message names it: %s", e.msg);
  TAP_IS_INT(dir_entries(parent, NULL), 0, "... nothing is left behind");

  snprintf(notexe, sizeof notexe, "%s/plain-file", parent);
  f = fopen(notexe, "w");
  if (f != NULL) fclose(f);
  chmod(notexe, 0644);
  rc = lvt_ref_bin_dir(notexe, parent, &dir, &e);
  TAP_IS_INT(rc, LVT_ERR_IO, "a file that is not executable: LVT_ERR_IO");
  TAP_OK(strstr(e.msg, "not an executable file") != NULL, "... says so: %s", e.msg);
  TAP_OK(rc == LVT_OK || dir_entries(parent, NULL) == 1, "... nothing is left behind");
  unlink(notexe);

  rc = lvt_ref_bin_dir(lvtest, missing, &dir, &e);
  TAP_IS_INT(rc, LVT_ERR_IO, "a missing parent directory: LVT_ERR_IO");
  TAP_OK(dir == NULL && strstr(e.msg, missing) != NULL, "... named: %s", e.msg);
}

int main(void) {
  const char *lvtest = getenv("LVTEST");
  if (lvtest == NULL || *lvtest == '\0') {
    TAP_OK(0, "LVTEST names the lvtest binary (set by ctest)");
    return tap_done();
  }
  if (mkdtemp(parent) == NULL) {
    TAP_OK(0, "mkdtemp %s", parent);
    return tap_done();
  }
  test_links(lvtest);
  test_fresh(lvtest);
  test_errors(lvtest);
  rmdir(parent);
  return tap_done();
}
