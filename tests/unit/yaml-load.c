/*
 * yaml-load: loads a YAML stream with the document parser and prints each document as compact
 * JSON on its own line, for the conformance run against the yaml-test-suite.
 *
 *	yaml-load FILE              the documents as JSON; the problem on stderr and exit 1
 *	yaml-load --features FILE   "anchors", "aliases", "tags" (those libyaml reports) or "none"
 *	yaml-load --roundtrip FILE  also check that emitting each document as YAML and parsing it
 *	                            back gives equal data and the same bytes again
 *	yaml-load --batch           for each path read from stdin, one line of JSON:
 *	                            {"file", "features", "result": "loaded" | "refused" |
 *	                            "roundtrip-failed", "docs" or "error"}, all in one process
 *	                            because a process per case is what makes a suite run slow
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "problem.h"

static const struct doc_limits limits = { 64 * 1024 * 1024, 10000, false };

static char *
slurp(const char *path, size_t *len)
{
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		die("cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f))
		die("cannot read '%s'", path);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

/* What the event stream holds, up to the point where libyaml gives up: "none" or a list. */
static const char *
features(const char *buf, size_t len)
{
	static char out[32];
	yaml_parser_t yp;
	yaml_event_t ev;
	bool anchors = false, aliases = false, tags = false, done = false;

	if (!yaml_parser_initialize(&yp))
		die("cannot initialise libyaml");
	yaml_parser_set_input_string(&yp, (const unsigned char *)buf, len);
	while (!done && yaml_parser_parse(&yp, &ev)) {
		switch (ev.type) {
		case YAML_ALIAS_EVENT:
			aliases = true;
			break;
		case YAML_SCALAR_EVENT:
			anchors |= ev.data.scalar.anchor != NULL;
			tags |= ev.data.scalar.tag != NULL;
			break;
		case YAML_SEQUENCE_START_EVENT:
			anchors |= ev.data.sequence_start.anchor != NULL;
			tags |= ev.data.sequence_start.tag != NULL;
			break;
		case YAML_MAPPING_START_EVENT:
			anchors |= ev.data.mapping_start.anchor != NULL;
			tags |= ev.data.mapping_start.tag != NULL;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	if (!anchors && !aliases && !tags)
		return "none";
	snprintf(out, sizeof out, "%s%s%s", anchors ? "anchors " : "", aliases ? "aliases " : "",
	    tags ? "tags " : "");
	out[strlen(out) - 1] = '\0';
	return out;
}

/* NULL when d emits as YAML that reads back as equal data and the same bytes; else why not. */
static char *
roundtrip(const struct doc *d, const char *name)
{
	char *y1, *y2, *why = NULL;
	size_t l1, l2;
	struct doc *back;
	struct problems errs = {0};

	if (doc_emit_yaml(d, &y1, &l1) < 0)
		return xstrdup(err_last());
	if (doc_parse(y1, l1, name, &limits, &back, &errs) < 0) {
		why = xasprintf("emitted YAML does not parse: %s: %s", errs.v[0].msg, y1);
		problems_free(&errs);
		free(y1);
		return why;
	}
	if (!doc_equal(d, back)) {
		why = xasprintf("emitted YAML reads back as other data: %s", y1);
	} else if (doc_emit_yaml(back, &y2, &l2) < 0) {
		why = xstrdup(err_last());
	} else {
		if (l1 != l2 || memcmp(y1, y2, l1) != 0)
			why = xasprintf("emitting twice gives other bytes: %s", y1);
		free(y2);
	}
	doc_free(back);
	free(y1);
	return why;
}

/* Loads one file for --batch and writes its line of JSON. */
static void
batch_one(const char *path)
{
	struct problems errs = {0};
	struct doc *line = doc_new(DOC_MAP), *seq;
	struct doc **docs;
	size_t len, ndocs;
	char *buf = slurp(path, &len), *json, *why = NULL;

	doc_set(line, "file", doc_new_str(path));
	doc_set(line, "features", doc_new_str(features(buf, len)));
	if (doc_parse_stream(buf, len, path, &limits, &docs, &ndocs, &errs) < 0) {
		doc_set(line, "result", doc_new_str("refused"));
		doc_set(line, "error", doc_new_str(errs.v[0].msg));
		problems_free(&errs);
	} else {
		seq = doc_new(DOC_SEQ);
		for (size_t i = 0; i < ndocs; i++) {
			if (why == NULL)
				why = roundtrip(docs[i], path);
			doc_push(seq, docs[i]);
		}
		free(docs);
		if (why != NULL) {
			doc_set(line, "result", doc_new_str("roundtrip-failed"));
			doc_set(line, "error", doc_new_str(why));
			doc_free(seq);
			free(why);
		} else {
			doc_set(line, "result", doc_new_str("loaded"));
			doc_set(line, "docs", seq);
		}
	}
	if (doc_emit_json(line, false, &json, &len) < 0)
		die("%s: %s", path, err_last());
	fwrite(json, 1, len, stdout);
	putchar('\n');
	free(json);
	doc_free(line);
	free(buf);
}

static void
batch(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0] != '\0')
			batch_one(line);
	}
	free(line);
}

int
main(int argc, char **argv)
{
	struct problems errs = {0};
	struct doc **docs;
	size_t len, ndocs;
	bool feat = false, rt = false;
	int status = 0;
	char *buf;

	progname = "yaml-load";
	if (argc == 2 && strcmp(argv[1], "--batch") == 0) {
		batch();
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--features") == 0)
		feat = true;
	else if (argc == 3 && strcmp(argv[1], "--roundtrip") == 0)
		rt = true;
	else if (argc != 2 || argv[1][0] == '-')
		die("usage: yaml-load [--features | --roundtrip] FILE | --batch");
	buf = slurp(argv[argc - 1], &len);
	if (feat) {
		puts(features(buf, len));
		free(buf);
		return 0;
	}
	if (doc_parse_stream(buf, len, argv[argc - 1], &limits, &docs, &ndocs, &errs) < 0) {
		problems_print(&errs, stderr, progname);
		problems_free(&errs);
		free(buf);
		return 1;
	}
	for (size_t i = 0; i < ndocs; i++) {
		char *json;
		size_t jlen;

		if (doc_emit_json(docs[i], false, &json, &jlen) < 0) {
			err_print();
			status = 1;
		} else {
			fwrite(json, 1, jlen, stdout);
			putchar('\n');
			free(json);
		}
		if (rt) {
			char *why = roundtrip(docs[i], argv[argc - 1]);

			if (why != NULL) {
				warnmsg("%s: %s", argv[argc - 1], why);
				free(why);
				status = 1;
			}
		}
		doc_free(docs[i]);
	}
	free(docs);
	free(buf);
	return status;
}
