// One regression tree of the boosted ensemble, as stored in the artefact: parallel arrays over
// nodes (node 0 is the root, children always come after their parent, leaves have feature −1).
import { z } from 'zod';

export const TreeNodes = z
  .object({
    /** Feature column index, −1 for a leaf. */
    feature: z.array(z.number().int().min(-1)),
    /** Numeric split: x ≤ threshold goes left. */
    threshold: z.array(z.number()),
    /** Categorical split: level codes that go left (others and unseen levels go right). */
    categoriesLeft: z.array(z.array(z.number().int().min(0).max(254))),
    missingLeft: z.array(z.boolean()),
    left: z.array(z.number().int()),
    right: z.array(z.number().int()),
    /** Leaf output on the log-odds scale, learning rate included. */
    value: z.array(z.number()),
    /** Training rows that reached the node (weights for TreeSHAP's expectations). */
    cover: z.array(z.number().nonnegative()),
  })
  .superRefine((tree, ctx) => {
    const n = tree.feature.length;
    const lengths = [tree.threshold, tree.categoriesLeft, tree.missingLeft, tree.left, tree.right, tree.value, tree.cover].map((a) => a.length);
    if (n === 0 || lengths.some((length) => length !== n)) {
      ctx.addIssue({ code: 'custom', message: `tree node arrays must be non-empty and of equal length (${n}, ${lengths.join(', ')})` });
      return;
    }
    for (let node = 0; node < n; node++) {
      const isLeaf = tree.feature[node] === -1;
      const left = tree.left[node] as number;
      const right = tree.right[node] as number;
      const childrenOk = isLeaf ? left === -1 && right === -1 : left > node && right > node && left < n && right < n;
      if (!childrenOk) {
        ctx.addIssue({ code: 'custom', message: `tree node ${node} has invalid children (${left}, ${right})` });
        return;
      }
    }
  });
export type TreeNodes = z.infer<typeof TreeNodes>;
