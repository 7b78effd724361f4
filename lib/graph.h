/*
 * graph.h: the history of a store listed from git's commit-graph (the files that
 * `git commit-graph write` makes, gitformat-commit-graph(5)), without reading the commits it
 * holds. graph.c says why and what it costs.
 */
#ifndef CASUS_GRAPH_H
#define CASUS_GRAPH_H

#include <stddef.h>

#include <git2.h>

/*
 * The commits reachable from tip in repo, each after its parents, into *ids (malloc'd, *n of
 * them): those the commit-graph of repo holds from the graph, the others (made since it was
 * last written) from the commits themselves.
 * Returns 1 when listed; 0 when they cannot be listed so (no commit-graph, one of another hash
 * or damaged, replace refs or a shallow history, or too many commits outside it), with *ids
 * NULL and no error set, and the caller lists them another way; -1 with a git error set when
 * a commit outside the graph cannot be read (store_git_fail() names it).
 */
int graph_history(git_repository *repo, const git_oid *tip, git_oid **ids, size_t *n);

#endif
