// Product views per shopper and 30-minute window.
// THE BUG: distinct products are counted by display name, and the offers of several sellers
// share one name ('USB-C Cable'): comparing three cables counts as one product online.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface View {
  view_id: bigint;
  user_id: string;
  product_id: string;
  product_name: string;
  ts: Date;
}

interface Accumulator {
  views: number;
  products: Set<string>;
}

export default defineStreamingFeature<View, Accumulator>({
  key: (e) => e.user_id,
  window: tumbling('30m'),
  init: () => ({ views: 0, products: new Set<string>() }),
  add: (acc, e) => {
    acc.views += 1;
    acc.products.add(e.product_name); // BUG (deliberate): should be e.product_id.
  },
  emit: (acc) => ({ views_30m: acc.views, distinct_products_30m: acc.products.size }),
});
