import type { LanguageClient } from 'vscode-languageclient/node';
import type { LabelType } from '../common/labelSchema';
import { labelTypesRequest, type LabelSchemaChangedParams } from '../common/lspProtocol';

/** The label schema the server uses, as it last announced it (finlabel/labelSchemaChanged). */
export class LabelSchemaState {
  private latest: LabelSchemaChangedParams | undefined;

  constructor(private readonly client: () => LanguageClient) {}

  update(params: LabelSchemaChangedParams): void {
    this.latest = params;
  }

  /** The types last announced (empty before the server's first announcement). */
  get types(): readonly LabelType[] {
    return this.latest?.types ?? [];
  }

  /** Where they come from, in words (the schema file, the setting or the built-in defaults). */
  get source(): string {
    return this.latest?.source ?? '';
  }

  /** The types, asking the server when it has not announced them yet. */
  async currentTypes(): Promise<readonly LabelType[]> {
    if (this.latest) return this.latest.types;
    return this.client().sendRequest(labelTypesRequest);
  }
}
