// ics-check.mjs: holds an iCalendar file of overleg-schedule against ical.js, a parser nobody
// here wrote (installed by `make deps`). Usage: node tests/ics-check.mjs FILE [ICAL.JS]
// ical.js is taken from the second argument, else $ICALJS, else the project's
// .deps/npm/node_modules/ical.js/dist/ical.js. The file must be valid UTF-8, parse, and hold a
// VCALENDAR with VERSION 2.0 and a PRODID whose every VEVENT has a UID (unique in the file), a
// DTSTAMP date-time, an all-day DTSTART and a SUMMARY, and whose every cancelled event has a
// SEQUENCE above 0 (above the event it cancels). Prints "calendar|PRODID", then one line per
// event: "UID|DTSTART|SUMMARY|LOCATION", and "|cancelled N" after a cancelled one's, N its
// SEQUENCE, with the values as ical.js reads them.
// Exit 0 if all holds, 1 with the reason on stderr if not, 2 if it cannot run.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [file, arg] = process.argv.slice(2);
const lib = resolve(root, arg || process.env.ICALJS || '.deps/npm/node_modules/ical.js/dist/ical.js');

function fail(why) {
	process.stderr.write(`ics-check: ${why}\n`);
	process.exit(1);
}

if (!file) {
	process.stderr.write('usage: node tests/ics-check.mjs FILE [ICAL.JS]\n');
	process.exit(2);
}
if (!existsSync(lib)) {
	process.stderr.write(`ics-check: cannot find ical.js at '${lib}': run make deps\n`);
	process.exit(2);
}
const ICAL = (await import(pathToFileURL(lib).href)).default;

let text;
try {
	text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
} catch (e) {
	fail(`cannot read '${file}' as UTF-8: ${e.message}`);
}

let cal;
try {
	cal = new ICAL.Component(ICAL.parse(text));
} catch (e) {
	fail(`cannot parse '${file}': ${e.message}`);
}
if (cal.name !== 'vcalendar')
	fail(`the top component is '${cal.name}', not vcalendar`);
if (cal.getFirstPropertyValue('version') !== '2.0')
	fail('VERSION is not 2.0');
const prodid = cal.getFirstPropertyValue('prodid');
if (!prodid)
	fail('no PRODID');
const out = [`calendar|${prodid}`];
const uids = new Set();
for (const ev of cal.getAllSubcomponents('vevent')) {
	const uid = ev.getFirstPropertyValue('uid');
	const stamp = ev.getFirstPropertyValue('dtstamp');
	const start = ev.getFirstPropertyValue('dtstart');
	const summary = ev.getFirstPropertyValue('summary');
	const location = ev.getFirstPropertyValue('location') ?? '';

	if (!uid)
		fail('an event without UID');
	if (uids.has(uid))
		fail(`UID '${uid}' twice`);
	uids.add(uid);
	if (!(stamp instanceof ICAL.Time) || stamp.isDate)
		fail(`event '${uid}': DTSTAMP is not a date-time`);
	if (!(start instanceof ICAL.Time) || !start.isDate)
		fail(`event '${uid}': DTSTART is not an all-day date`);
	if (!summary)
		fail(`event '${uid}': no SUMMARY`);
	const status = ev.getFirstPropertyValue('status');
	const seq = ev.getFirstPropertyValue('sequence') ?? 0;
	if (status === 'CANCELLED' && !(seq > 0))
		fail(`event '${uid}': cancelled with SEQUENCE ${seq}, not above 0`);
	out.push(`${uid}|${start.toString()}|${summary}|${location}` +
		(status === 'CANCELLED' ? `|cancelled ${seq}` : ''));
}
process.stdout.write(out.join('\n') + '\n');
