// Minimal CSV writing: UTF-8, LF, a header row, fields quoted only when they must be (RFC 4180).
'use strict';
const fs = require('fs');

function field(value) {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes rows (arrays) under a header, sorted by the first column; returns the number of data rows. */
function writeCsv(path, header, rows) {
  const sorted = [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const lines = [header, ...sorted].map((r) => r.map(field).join(','));
  fs.writeFileSync(path, lines.join('\n') + '\n', 'utf8');
  return sorted.length;
}

module.exports = { writeCsv };
