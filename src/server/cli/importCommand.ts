import { SCHEMA_USAGE } from './cliSchema';
import type { CliCommand } from './command';
import { FOLDER_HELP, FOLDER_USAGE, importContractFolder, isFolderImport } from './contractFolderImport';
import { conversionCommand } from './conversionCommand';

const usage = `Usage: finlabel import FILE --from FORMAT -o OUT.jsonl [--entity name|tag|as-is] [--offsets codepoint|utf16] [--json]
${FOLDER_USAGE}

Converts another tool's file into a dataset JSONL ({"id","text","labels":[{"entity","value","start","end"}],…},
offsets in code points). FORMAT is bio, doccano, labelstudio or cluener (see finlabel export --help).

Nothing is fixed silently: a span whose stated text (Label Studio value.text, CLUENER mention)
differs from the text at its offsets is imported as written and reported (the editor's diagnostics
offer the fix); spans with unusable offsets, lines that cannot be read and fields a FinLabel record
has no place for are reported on stdout as FILE:LINE: CODE: [id] message. The output is written to a
temporary file and renamed into place; the input file is never overwritten.

  --from FORMAT     bio, doccano, labelstudio or cluener (required)
  -o, --out OUT     output JSONL (required)
  --entity NAMING   entity types as the schema's display name (default), tag, or as-is; types the
                    schema does not know are kept as written and reported (not with as-is)
  --offsets UNIT    doccano/Label Studio offsets in codepoint or utf16 (default: the tool's own)
  --json            reports as JSON lines {"line","id","code","message"}

${SCHEMA_USAGE}

Exit codes: 0 converted, nothing reported; 1 converted with reports (or the input is unreadable);
2 the command could not run (usage, missing file, input not UTF-8, output = input).

${FOLDER_HELP}`;

const summary = "convert a BIO, doccano, Label Studio or CLUENER file to a dataset JSONL; import a contract folder's Word and PDF files";
const conversion = conversionCommand('import', summary, usage);

/** `finlabel import FILE --from FORMAT` converts another tool's file; `finlabel import FOLDER` imports a contract folder's Word and PDF files. */
export const importCommand: CliCommand = {
  summary,
  usage,
  run: (args, io) => (isFolderImport(args) ? importContractFolder(args, io) : conversion.run(args, io)),
};
