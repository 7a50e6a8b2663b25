import { benchPlanDraw } from './bench/plan-draw-bench';
void benchPlanDraw().then((rows) => console.table(rows));
