import { describeAdjudicationOn } from '../support/labelAdjudicationSuite';
import { LINE_STYLES } from '../support/lineStyles';
import { writeLine } from './pythonJson';

// Lines as CPython's json.dumps writes them (the compact style's tests run in process: test/unit/labelAdjudication.test.ts).
for (const style of LINE_STYLES) if (style !== 'compact') describeAdjudicationOn(style, writeLine);
