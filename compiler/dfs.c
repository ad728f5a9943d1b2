/* Depth-first search, without recursion, and cycle texts. */
#include "dfs.h"
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
dfs_run(const struct dfs_graph *g)
{
	enum { NEW, ACTIVE, DONE };
	uint8_t *state = xcalloc(g->n ? g->n : 1, 1);
	uint32_t *stack = xmalloc((g->n + 1) * sizeof *stack);
	uint32_t *next = xmalloc((g->n + 1) * sizeof *next);   /* next edge */
	uint32_t *pos = xmalloc((g->n + 1) * sizeof *pos);     /* stack slot */
	uint32_t root, depth;

	for (root = 0; root < g->n; root++) {
		if (state[root] != NEW)
			continue;
		depth = 0;
		stack[depth] = root;
		next[depth] = g->first[root];
		pos[root] = 0;
		state[root] = ACTIVE;
		depth = 1;
		while (depth) {
			uint32_t node = stack[depth - 1];
			uint32_t e = next[depth - 1];
			if (e == g->first[node + 1]) {
				state[node] = DONE;
				if (g->done)
					g->done(g->ctx, node);
				depth--;
				continue;
			}
			next[depth - 1] = e + 1;
			{
				uint32_t t = g->targets[e];
				if (state[t] == NEW) {
					state[t] = ACTIVE;
					pos[t] = depth;
					stack[depth] = t;
					next[depth] = g->first[t];
					depth++;
				} else if (state[t] == ACTIVE && g->cycle) {
					/* edges taken: next[i] - 1 leaves stack[i] */
					uint32_t from = pos[t], i, n = depth - from;
					uint32_t *edges = xmalloc(n * sizeof *edges);
					for (i = 0; i < n; i++)
						edges[i] = next[from + i] - 1;
					g->cycle(g->ctx, stack + from, edges, n);
					free(edges);
				}
			}
		}
	}
	free(state);
	free(stack);
	free(next);
	free(pos);
}

void
dfs_cycle_text(char *buf, size_t size, uint32_t n, bool elide,
	       void (*part)(void *ctx, uint32_t i, char *out, size_t out_size), void *ctx)
{
	size_t o = 0;
	uint32_t i;
	buf[0] = '\0';
	for (i = 0; i <= n && o + 1 < size; i++) {
		if (i) {
			snprintf(buf + o, size - o, " -> ");
			o += strlen(buf + o);
		}
		if (elide && n > 8 && i == 4) {
			snprintf(buf + o, size - o, "... %u more ... -> ", n - 8);
			o += strlen(buf + o);
			i = n - 4;
		}
		if (o + 1 < size) {
			part(ctx, i, buf + o, size - o);
			o += strlen(buf + o);
		}
	}
}
