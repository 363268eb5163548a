/** The upstream answer reader inside workerd: the same cases as on Node. */
import { responseBodyCases } from '../unit/upstream/response-body-cases.ts';

responseBodyCases();
