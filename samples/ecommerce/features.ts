// "Products viewed in the last 30 days", streaming implementation: hopping windows of 30 days
// that start every hour, so each view lands in 720 windows. The batch twin is features.sql.
import { defineStreamingFeature, hopping } from 'skewcheck';

interface View {
  user_id: string;
  product_id: string;
  ts: Date;
}

export default defineStreamingFeature<View, { views: number; products: Set<string> }>({
  key: (e) => e.user_id,
  window: hopping('30d', '1h'),
  init: () => ({ views: 0, products: new Set<string>() }),
  add: (acc, e) => {
    acc.views += 1;
    acc.products.add(e.product_id);
  },
  emit: (acc) => ({ views_30d: acc.views, products_viewed_30d: acc.products.size }),
});
