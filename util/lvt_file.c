/*
** lvt_file.c -- small questions about files; copying and removing trees,
** reading and writing whole files.
*/
#define _GNU_SOURCE   /* memmem */
#include "lvt_base.h"
#include "lvt_spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int lvt_file_contains(const char *path, const char *needle) {
  struct stat st;
  void *map;
  int fd, found = 0;
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) return 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      found = memmem(map, (size_t)st.st_size, needle, strlen(needle)) != NULL;
      munmap(map, (size_t)st.st_size);
    }
  }
  close(fd);
  return found;
}

/* =====================================================================
** Trees and whole files (declared in lvt_spawn.h)
** ===================================================================== */

static int copy_file(const char *src, const char *dst, mode_t mode, LvtErr *e) {
  char buf[65536];
  int in = open(src, O_RDONLY | O_CLOEXEC), out;
  ssize_t n;
  if (in < 0) return lvt_err_set(e, LVT_ERR_IO, "%s: %s", src, strerror(errno));
  if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777)) < 0) {
    close(in);
    return lvt_err_set(e, LVT_ERR_IO, "%s: %s", dst, strerror(errno));
  }
  while ((n = read(in, buf, sizeof buf)) != 0) {
    ssize_t off = 0;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) goto fail;
    while (off < n) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) goto fail;
      off += w;
    }
  }
  close(in);
  if (close(out) < 0) return lvt_err_set(e, LVT_ERR_IO, "%s: %s", dst, strerror(errno));
  return LVT_OK;
fail:
  lvt_err_set(e, LVT_ERR_IO, "copying %s: %s", src, strerror(errno));
  close(in);
  close(out);
  return LVT_ERR_IO;
}

int lvt_copy_tree(const char *src, const char *dst, LvtErr *e) {
  struct stat st;
  DIR *d;
  struct dirent *de;
  int rc = LVT_OK;
  if (lstat(src, &st) < 0) return lvt_err_set(e, LVT_ERR_IO, "%s: %s", src, strerror(errno));
  if (!S_ISDIR(st.st_mode)) return lvt_err_set(e, LVT_ERR_IO, "%s: not a directory", src);
  if (mkdir(dst, (st.st_mode & 07777) | 0700) < 0)
    return lvt_err_set(e, LVT_ERR_IO, "mkdir %s: %s", dst, strerror(errno));
  if ((d = opendir(src)) == NULL) return lvt_err_set(e, LVT_ERR_IO, "%s: %s", src, strerror(errno));
  while (rc == LVT_OK && (de = readdir(d)) != NULL) {
    LvtBuf s = LVT_BUF_INIT, t = LVT_BUF_INIT;
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    lvt_buf_addf(&s, "%s/%s", src, de->d_name);
    lvt_buf_addf(&t, "%s/%s", dst, de->d_name);
    if (lstat(s.data, &st) < 0) {
      rc = lvt_err_set(e, LVT_ERR_IO, "%s: %s", s.data, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
      rc = lvt_copy_tree(s.data, t.data, e);
    } else if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = readlink(s.data, target, sizeof target - 1);
      if (n < 0 || (target[n] = '\0', symlink(target, t.data) < 0))
        rc = lvt_err_set(e, LVT_ERR_IO, "symlink %s: %s", t.data, strerror(errno));
    } else if (S_ISREG(st.st_mode)) {
      rc = copy_file(s.data, t.data, st.st_mode | 0600, e);
    } /* sockets, fifos, devices: left out */
    lvt_buf_reset(&s);
    lvt_buf_reset(&t);
  }
  closedir(d);
  return rc;
}

/* Removes 'path->data' and what is below it; symbolic links are removed,
** not followed. A directory is made 0700 before it is read: a test may
** have made any directory of the tree read-only (or unreadable), and
** unlinking in a 0500 directory fails. Its entries are read into a list
** and the directory closed before descending, so depth costs no
** descriptors. 'path' is restored on return. */
static void rm_tree(LvtBuf *path) {
  LvtBuf names = LVT_BUF_INIT;   /* the entries, each NUL-terminated */
  size_t len = path->len, at;
  struct dirent *de;
  struct stat st;
  DIR *d;
  if (lstat(path->data, &st) < 0) return;
  if (!S_ISDIR(st.st_mode)) {
    unlink(path->data);
    return;
  }
  if ((st.st_mode & 0700) != 0700) chmod(path->data, 0700);
  if ((d = opendir(path->data)) != NULL) {
    while ((de = readdir(d)) != NULL)
      if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
        lvt_buf_add(&names, de->d_name, strlen(de->d_name) + 1);
    closedir(d);
  }
  for (at = 0; at < names.len; at += strlen(names.data + at) + 1) {
    lvt_buf_addf(path, "/%s", names.data + at);
    rm_tree(path);
    path->len = len;
    path->data[len] = '\0';
  }
  lvt_buf_reset(&names);
  rmdir(path->data);
}

void lvt_remove_tree(const char *path) {
  LvtBuf p = LVT_BUF_INIT;
  if (path == NULL) return;
  lvt_buf_adds(&p, path);
  rm_tree(&p);
  lvt_buf_reset(&p);
}

int lvt_read_file(const char *path, size_t max, LvtBuf *out, int *truncated, LvtErr *e) {
  char buf[65536];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n;
  lvt_buf_clear(out);
  *truncated = 0;
  if (fd < 0) return lvt_err_set(e, LVT_ERR_IO, "%s: %s", path, strerror(errno));
  while ((n = read(fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return lvt_err_set(e, LVT_ERR_IO, "%s: %s", path, strerror(err));
    }
    if (out->len + (size_t)n > max) {
      lvt_buf_add(out, buf, max - out->len);
      *truncated = 1;
      break;
    }
    lvt_buf_add(out, buf, (size_t)n);
  }
  close(fd);
  return LVT_OK;
}

int lvt_write_file(const char *path, const void *data, size_t len, LvtErr *e) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  size_t off = 0;
  if (fd < 0) return lvt_err_set(e, LVT_ERR_IO, "%s: %s", path, strerror(errno));
  while (off < len) {
    ssize_t n = write(fd, (const char *)data + off, len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      close(fd);
      return lvt_err_set(e, LVT_ERR_IO, "%s: %s", path, strerror(err));
    }
    off += (size_t)n;
  }
  if (close(fd) < 0) return lvt_err_set(e, LVT_ERR_IO, "%s: %s", path, strerror(errno));
  return LVT_OK;
}
