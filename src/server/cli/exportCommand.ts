import { SCHEMA_USAGE } from './cliSchema';
import { conversionCommand } from './conversionCommand';

const usage = `Usage: finlabel export FILE.jsonl --to FORMAT -o OUT [--entity tag|name|as-is] [--offsets codepoint|utf16] [--json]

Converts a dataset JSONL into another tool's format:
  bio          CoNLL-style BIO: one character per line, CHAR<TAB>TAG, a blank line between records,
               record keys as "# KEY = JSON" comment lines; \\n \\r \\t \\\\ and \\uXXXX escape characters
  doccano      doccano JSONL {"text","label":[[start,end,"TAG"]]}, offsets in UTF-16 code units
  labelstudio  Label Studio JSON task list (data.text + one annotation), offsets in code points
  cluener      CLUENER JSONL {"text","label":{TYPE:{mention:[[start,end_inclusive]]}}}

Labels the validator finds wrong are not exported, and what the format cannot hold (overlapping
spans in BIO, label keys such as "annotator") is left out: each is reported on stdout as
FILE:LINE: CODE: [id] message, and everything else is written. The output is written to a temporary
file and renamed into place; the input file is never overwritten.

  --to FORMAT       bio, doccano, labelstudio or cluener (required)
  -o, --out OUT     output file (required)
  --entity NAMING   entity types as the schema's tag (default), display name, or as-is
  --offsets UNIT    doccano/Label Studio offsets in codepoint or utf16 (default: the tool's own)
  --json            reports as JSON lines {"line","id","code","message"}

${SCHEMA_USAGE}

Exit codes: 0 converted, nothing reported; 1 converted with reports (or the input is unreadable);
2 the command could not run (usage, missing file, input not UTF-8, output = input).
`;

export const exportCommand = conversionCommand('export', 'convert a dataset JSONL to BIO, doccano, Label Studio or CLUENER', usage);
