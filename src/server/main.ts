import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './lsp/languageServer';

startLanguageServer(createConnection(ProposedFeatures.all));
