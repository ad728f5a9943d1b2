/* Depth-first search over a graph in compressed form, and the text of a
 * cycle it finds: what the checks for import cycles, constants that use
 * themselves and types that hold themselves share. */
#ifndef CHITIN_DFS_H
#define CHITIN_DFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Iterative depth-first search over a graph of n nodes in compressed
 * form (edges of node i are targets[first[i] .. first[i + 1])), from
 * every node in index order.  Calls done(node) in post-order, and
 * cycle(nodes, edges, n) for every edge that closes a cycle: nodes[0..n)
 * is the cycle from its first node and edges[i] the edge (index into
 * targets) leaving nodes[i]; the last one closes it. */
struct dfs_graph {
	uint32_t n;
	const uint32_t *first;      /* n + 1 entries */
	const uint32_t *targets;
	void *ctx;
	void (*done)(void *ctx, uint32_t node);
	void (*cycle)(void *ctx, const uint32_t *nodes, const uint32_t *edges, uint32_t n);
};
void dfs_run(const struct dfs_graph *g);

/* Writes a cycle of n nodes as "P0 -> P1 -> ... -> C" into buf (size
 * bytes, always terminated, cut short when full): part(ctx, i, buf, size)
 * writes node i's part for i < n, and the closing part for i == n.  With
 * elide, a cycle of more than 8 nodes shows its first four and last four
 * with "... K more ..." between them: its start and end tell enough. */
void dfs_cycle_text(char *buf, size_t size, uint32_t n, bool elide,
		    void (*part)(void *ctx, uint32_t i, char *out, size_t out_size), void *ctx);

#endif
