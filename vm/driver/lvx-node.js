// lvx-node.js -- the LVX v1 loop (vm/PROTOCOL.md) for Lua engines that run
// inside Node: fengari (vm/driver/fengari.js) and wasmoon
// (vm/driver/wasmoon.js). The engine-specific part is small; everything
// the program sees is the same as under lvx.lua, because the engine runs
// lvx.lua and sandbox.lua themselves:
//
//   - this file reads run frames from stdin and splits them into fields;
//   - the engine loads sandbox.lua and lvx.lua (embedded mode: lvx.lua is
//     called with the sandbox chunk and returns its 'serve' function);
//   - for each run, 'serve' gets the raw field values and returns the
//     values of the result frame's fields, which this file writes out.
//
// So a run crosses the JS/Lua boundary twice (the arguments in, the
// results out), and the frames are split and built here, in JS, where it
// is cheap (on fengari, building the frame in Lua cost about as much as
// lua5.4's whole run).
//
// An engine is an object with
//   impl                 free text for the hello ("fengari 0.1.5")
//   load(name, bytes)    loads a chunk; returns nothing, throws on error
//   start()              calls lvx.lua (loaded second) with the sandbox
//                        chunk (loaded first); returns the sandbox's version
//   serve(args)          args: 8 Uint8Array|null (KEYS); returns the result as
//                        the 8 values of lvx.lua's embedded 'serve' in an
//                        array: outcome, out, errtype, errval, detail as
//                        Uint8Array|null (valid until the next call),
//                        truncated and dirty as booleans, exitcode as a
//                        number|null (see RESULT_KEYS)
// Protocol errors end the process with status 2 (lvtest restarts it); an
// exception out of the engine (a JS stack overflow, a wasm trap) ends it
// with status 70, which lvtest reports as the program's crash.
'use strict';

const fs = require('fs');
const path = require('path');

const MAX_HEADER = 64;
const MAX_FIELD_LINE = 32;
const MAX_VALUE = 1 << 30;
const MAX_FIELDS = 32;
// The keys 'serve' takes, in order; other keys are skipped (PROTOCOL.md).
const KEYS = ['name', 'src', 'instr_limit', 'max_output', 'deterministic', 'allow_binary',
              'prelude', 'pure'];
// The keys of the result frame, in the order of the values 'serve'
// returns (and of lvx.lua's frames).
const RESULT_KEYS = ['outcome', 'out', 'truncated', 'errtype', 'errval', 'exit', 'detail', 'dirty'];
const RESULT_HEADS = RESULT_KEYS.map((k) => k + ' ');

// stdin and stdout as descriptors of their own: reopened through /proc, a
// pipe gets an open file description that nothing in Node makes
// non-blocking (the engines' io libraries may touch process.stdin).
function reopen(fd, flags) {
  try {
    return fs.openSync('/proc/self/fd/' + fd, flags);
  } catch (e) {
    return fd;
  }
}

function fail(who, why, status) {
  try { fs.writeSync(2, who + ': ' + why + '\n'); } catch (e) { /* nothing left to tell */ }
  process.exit(status);
}

// A blocking reader over a file descriptor.
class Reader {
  constructor(fd) {
    this.fd = fd;
    this.buf = Buffer.allocUnsafe(1 << 16);
    this.start = 0;
    this.end = 0;
    this.eof = false;
  }

  // Reads more bytes; false at EOF.
  fill() {
    if (this.eof) return false;
    if (this.start > 0 && this.start === this.end) this.start = this.end = 0;
    if (this.end === this.buf.length) {
      const live = this.end - this.start;
      const size = live * 2 > this.buf.length ? this.buf.length * 2 : this.buf.length;
      const nb = Buffer.allocUnsafe(size);
      this.buf.copy(nb, 0, this.start, this.end);
      this.buf = nb;
      this.start = 0;
      this.end = live;
    }
    for (;;) {
      let n;
      try {
        n = fs.readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      } catch (e) {
        if (e.code === 'EAGAIN') {          // a non-blocking stdin after all
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        if (e.code === 'EINTR') continue;
        throw e;
      }
      if (n === 0) {
        this.eof = true;
        return false;
      }
      this.end += n;
      return true;
    }
  }

  // A line without its LF, as a latin1 string; null at EOF before any
  // byte; throws a message when no LF comes within 'max' bytes.
  line(max) {
    for (;;) {
      const lf = this.buf.indexOf(10, this.start);
      if (lf >= 0 && lf < this.end) {
        if (lf + 1 - this.start > max) throw new Error('line longer than ' + max + ' bytes');
        const s = this.buf.toString('latin1', this.start, lf);
        this.start = lf + 1;
        return s;
      }
      if (this.end - this.start >= max) throw new Error('line longer than ' + max + ' bytes');
      if (!this.fill()) {
        if (this.start === this.end) return null;
        throw new Error('EOF in the middle of a line');
      }
    }
  }

  // Exactly 'n' bytes, copied (the engines keep what they are given).
  bytes(n) {
    while (this.end - this.start < n) {
      if (!this.fill()) throw new Error('EOF in the middle of a value');
    }
    const v = new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.start, n).slice();
    this.start += n;
    return v;
  }

  // The next byte, or -1 at EOF.
  byte() {
    if (this.start === this.end && !this.fill()) return -1;
    return this.buf[this.start++];
  }
}

// Reads one run frame: the values 'serve' takes (null when absent), or
// null at a clean EOF. Throws a message at anything that is not one.
function readRequest(rd) {
  const header = rd.line(MAX_HEADER);
  if (header === null) return null;
  const m = /^LVX (\d{1,3}) ([a-z0-9_]+) (\d{1,2})$/.exec(header);
  if (!m) throw new Error('expected an LVX header, got ' + JSON.stringify(header.slice(0, 40)));
  if (m[1] !== '1') throw new Error('LVX version ' + m[1] + ', this driver speaks 1');
  if (m[2] !== 'run') throw new Error('expected a run frame, got ' + m[2]);
  const count = Number(m[3]);
  if (count > MAX_FIELDS) throw new Error('frame has ' + count + ' fields, at most ' + MAX_FIELDS);
  const args = new Array(KEYS.length).fill(null);
  for (let i = 0; i < count; i++) {
    const fl = rd.line(MAX_FIELD_LINE);
    const f = fl === null ? null : /^([a-z0-9_]{1,16}) (0|[1-9]\d{0,9})$/.exec(fl);
    if (!f) throw new Error('bad field line ' + JSON.stringify(String(fl).slice(0, 40)));
    const len = Number(f[2]);
    if (len > MAX_VALUE) throw new Error('value of "' + f[1] + '" too long');
    const v = rd.bytes(len);
    if (rd.byte() !== 10) throw new Error('value of "' + f[1] + '" not followed by LF');
    const k = KEYS.indexOf(f[1]);
    if (k >= 0) args[k] = v;
  }
  if (args[1] === null) throw new Error('run frame without src');
  return args;
}

function writeAll(fd, data) {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off, data.length - off);
    } catch (e) {
      if (e.code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      throw e;
    }
  }
}

// The result frame of the values 'serve' returned ('out' is always
// there; an absent or false field is left out, as lvx.lua does). Built
// byte by byte: Buffer's string functions cost more than the whole frame
// on frames this small.
function resultFrame(v) {
  const vals = RESULT_VALS, lens = RESULT_LENS;
  let n = 0, size = 15;                 // 'LVX 1 result N\n' (N < 10)
  for (let i = 0; i < 8; i++) {
    let x = v[i];
    if (i === 1 && (x === null || x === undefined)) x = EMPTY;
    if (x === null || x === undefined || x === false) { vals[i] = null; continue; }
    if (x === true) x = ONE;
    else if (typeof x === 'number') x = Buffer.from(String(Math.trunc(x)), 'latin1');
    vals[i] = x;
    lens[i] = String(x.length);
    size += RESULT_HEADS[i].length + lens[i].length + x.length + 2;
    n++;
  }
  const buf = Buffer.allocUnsafe(size);
  let off = ascii(buf, 0, 'LVX 1 result ');
  buf[off++] = 0x30 + n;
  buf[off++] = 10;
  for (let i = 0; i < 8; i++) {
    const x = vals[i];
    if (x === null) continue;
    off = ascii(buf, off, RESULT_HEADS[i]);
    off = ascii(buf, off, lens[i]);
    buf[off++] = 10;
    if (x.length > 64) buf.set(x, off);
    else for (let j = 0; j < x.length; j++) buf[off + j] = x[j];
    off += x.length;
    buf[off++] = 10;
    vals[i] = null;
  }
  return buf;
}
const RESULT_VALS = new Array(8).fill(null);
const RESULT_LENS = new Array(8).fill('');

// Writes the ASCII string 's' into 'buf' at 'off'; returns the new offset.
function ascii(buf, off, s) {
  for (let i = 0; i < s.length; i++) buf[off++] = s.charCodeAt(i);
  return off;
}
const EMPTY = new Uint8Array(0);
const ONE = Uint8Array.of(0x31);

function frame(kind, fields) {
  const parts = [Buffer.from('LVX 1 ' + kind + ' ' + (fields.length / 2) + '\n')];
  for (let i = 0; i < fields.length; i += 2) {
    const v = Buffer.from(fields[i + 1]);
    parts.push(Buffer.from(fields[i] + ' ' + v.length + '\n'), v, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

// Runs the loop with the engine 'makeEngine()' makes (it may return a
// promise); 'who' names the shim in messages ("fengari.js").
async function main(who, makeEngine) {
  const inFd = reopen(0, 'r');
  const outFd = reopen(1, 'w');
  let engine;
  try {
    engine = await makeEngine();
    for (const file of ['sandbox.lua', 'lvx.lua']) {
      const full = path.join(__dirname, file);
      engine.load('@' + full, fs.readFileSync(full));
    }
    const version = engine.start();
    writeAll(outFd, frame('hello', ['impl', who + ' ' + engine.impl + ' ' + version]));
  } catch (e) {
    fail(who, 'cannot start: ' + (e && e.message || e), 2);
  }
  const rd = new Reader(inFd);
  for (;;) {
    let args;
    try {
      args = readRequest(rd);
    } catch (e) {
      fail(who, 'protocol: ' + e.message, 2);
    }
    if (args === null) break;
    let res;
    try {
      res = engine.serve(args);
    } catch (e) {
      fail(who, 'the engine failed: ' + (e && e.stack || e), 70);
    }
    writeAll(outFd, resultFrame(res));
  }
  process.exit(0);
}

// C's strerror text for a Node file system error.
const ERRNO_TEXT = {
  ENOENT: 'No such file or directory', EACCES: 'Permission denied',
  EISDIR: 'Is a directory', ENOTDIR: 'Not a directory', EMFILE: 'Too many open files',
  ELOOP: 'Too many levels of symbolic links', ENAMETOOLONG: 'File name too long',
};
function strerror(e) {
  return ERRNO_TEXT[e && e.code] || (e && e.code) || String(e);
}

module.exports = { main, strerror, resultFrame };
