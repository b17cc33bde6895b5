// Renders with KaTeX every formula verify prints in Markdown, so that what
// an author publishes from `verify notes --format markdown` (and a lesson's
// --format markdown) renders in KaTeX as it does in MathJax.
//   NODE_PATH=/usr/share/nodejs node check.js FILE...
// Only verify's own output is checked: the lines of a notes file's notes
// (those that start with "> "), or every line of a lesson's report; math is
// $$...$$ or $...$, a \$ being an escaped dollar.  Exit 1 names each
// formula KaTeX refuses, with its file and line.
'use strict';
const fs = require('fs');
const katex = require('katex');

let bad = 0, seen = 0;
function check(file, line, tex, display) {
	seen++;
	// LaTeX only: Unicode math (δˡ, ∘, x₁₁) renders in some places and
	// not in others
	const other = tex.match(/[^\x00-\x7f]/);
	if (other !== null) {
		bad++;
		console.log(`${file}:${line}: '${other[0]}' in a formula: LaTeX only`);
		return;
	}
	try {
		katex.renderToString(tex, {throwOnError: true, displayMode: display, strict: 'error'});
	} catch (e) {
		bad++;
		console.log(`${file}:${line}: ${e.message}`);
	}
}

for (const arg of process.argv.slice(2)) {
	// NAME.md: a notes file with verify's notes; anything else: verify's own
	const notes = arg.endsWith('.md');
	const text = fs.readFileSync(arg, 'utf8');
	const re = /\$\$([\s\S]+?)\$\$|(?<!\\)\$(.+?)(?<!\\)\$/g;
	if (notes) {
		text.split('\n').forEach((line, i) => {
			if (!line.startsWith('> '))
				return;
			let m;
			while ((m = re.exec(line)) !== null)
				check(arg, i + 1, m[1] !== undefined ? m[1] : m[2], false);
		});
		continue;
	}
	let m;
	while ((m = re.exec(text)) !== null)
		check(arg, text.slice(0, m.index).split('\n').length,
		      m[1] !== undefined ? m[1] : m[2], m[1] !== undefined);
}
if (seen === 0) {
	console.log('no formula found: nothing was checked');
	process.exit(1);
}
console.log(`${seen - bad} passed, ${bad} failed`);
process.exit(bad > 0 ? 1 : 0);
