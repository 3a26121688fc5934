import { isNotionPropertyType, type NotionPropertyType, notionStepType } from '@automateos/shared';
import { Badge, Box, HStack, Input, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { CredentialPicker } from '../../credentials/credential-picker';
import { useEditor } from '../../workflows/editor/editor-context';
import { ExpressionInput } from '../../workflows/editor/expression-input';
import type { IssuePath } from '../../workflows/editor/field-path';
import { EditorField, FieldError, Section, Select, type StepFormProps } from '../../workflows/editor/fields';
import { asRecord, asText, withField } from '../../workflows/values';
import { RetryFields, retryIssueField } from '../retry-fields';
import { useNotionDataSource, useNotionDataSources } from './notion-api';

/** What each property type takes, under its input. */
const HINTS: Record<NotionPropertyType, string> = {
  title: 'Text',
  rich_text: 'Text; longer than 2,000 characters is split for Notion',
  number: 'A number, e.g. 42 or 3.5',
  select: 'One option name',
  multi_select: 'Option names separated by commas, or a list',
  status: 'A status name',
  date: 'ISO 8601: 2025-03-01, 2025-03-01T09:30:00Z, or start/end',
  checkbox: 'true or false',
  url: 'A link',
  email: 'An email address',
  phone_number: 'A phone number',
};

export function NotionStepForm({ index, config, onChange }: StepFormProps) {
  const { readOnly } = useEditor();
  const at = (...rest: (string | number)[]): IssuePath => ['definition', 'steps', index, 'config', ...rest];
  const set = (key: string, value: unknown) => onChange(withField(config, key, value));
  const credentialId = asText(config.credentialId) || undefined;
  const parent = asRecord(config.parent);
  const parentType = asText(parent.type, 'dataSource');
  const parentId = asText(parent.id);
  const properties = asRecord(config.properties);
  const setProperty = (name: string, value: string) =>
    set('properties', withField(properties, name, value === '' ? undefined : value));

  const [search, setSearch] = useState('');
  const sources = useNotionDataSources(parentType === 'dataSource' ? credentialId : undefined, search);
  const schema = useNotionDataSource(parentType === 'dataSource' ? credentialId : undefined, parentId);
  const listed = sources.data?.items ?? [];

  return (
    <Stack gap="5">
      <EditorField path={at('credentialId')} label="Notion credential">
        <CredentialPicker
          types={notionStepType.auth.types}
          value={credentialId}
          optional={false}
          disabled={readOnly}
          onChange={(id) => set('credentialId', id ?? '')}
        />
      </EditorField>

      <Section title="Where">
        <HStack gap="3" align="start">
          <Box w="40" flexShrink={0}>
            <EditorField path={at('parent', 'type')} label="Create in">
              <Select
                value={parentType}
                options={[
                  { value: 'dataSource', label: 'A database' },
                  { value: 'page', label: 'A page' },
                ]}
                onChange={(type) =>
                  onChange({ ...withField(config, 'parent', { type, id: '' }), properties: {} })
                }
                disabled={readOnly}
              />
            </EditorField>
          </Box>
          {parentType === 'dataSource' ? (
            <Stack gap="2" flex="1" minW="0">
              <Input
                size="sm"
                aria-label="Search Notion databases"
                placeholder="Search the databases shared with the integration"
                value={search}
                readOnly={readOnly}
                onChange={(event) => setSearch(event.target.value)}
              />
              <EditorField path={at('parent', 'id')} label="Database">
                <Select
                  aria-label="Database"
                  value={parentId}
                  options={listed.map((source) => ({ value: source.id, label: source.title }))}
                  onChange={(id) =>
                    onChange({ ...withField(config, 'parent', { type: 'dataSource', id }), properties: {} })
                  }
                  disabled={readOnly || !credentialId}
                />
              </EditorField>
              {!credentialId && (
                <Text fontSize="xs" color="fg.muted">
                  Pick a credential to list its databases.
                </Text>
              )}
              {sources.error && (
                <Text fontSize="sm" color="fg.error">
                  {sources.error.message}
                </Text>
              )}
              {sources.data && listed.length === 0 && (
                <Text fontSize="xs" color="fg.muted">
                  No database found: share one with the integration in Notion (… → Connections).
                </Text>
              )}
            </Stack>
          ) : (
            <EditorField path={at('parent', 'id')} label="Page id or link" flex="1">
              <Input
                size="sm"
                fontFamily="mono"
                value={parentId}
                placeholder="https://www.notion.so/Team-Notes-1c8f6a2b3d4e4f5a8b9c0d1e2f3a4b5c"
                readOnly={readOnly}
                onChange={(event) => set('parent', { type: 'page', id: event.target.value })}
              />
            </EditorField>
          )}
        </HStack>
      </Section>

      <Section title="Properties">
        <FieldError path={at('properties')} anchor />
        {parentType === 'page' ? (
          <EditorField path={at('properties', 'title')} label="Title">
            <ExpressionInput
              size="sm"
              value={asText(properties.title)}
              placeholder="Notes for {{ trigger.body.customer }}"
              readOnly={readOnly}
              onChange={(value) => setProperty('title', value)}
            />
          </EditorField>
        ) : schema.error ? (
          <Text fontSize="sm" color="fg.error">
            {schema.error.message}
          </Text>
        ) : schema.data ? (
          schema.data.properties.map((property) =>
            isNotionPropertyType(property.type) ? (
              <EditorField
                key={property.name}
                path={at('properties', property.name)}
                label={
                  <HStack as="span" gap="2">
                    <span>{property.name}</span>
                    <Badge size="sm" variant="subtle">
                      {property.type.replace('_', ' ')}
                    </Badge>
                  </HStack>
                }
                optional={property.type !== 'title'}
                helperText={
                  property.options.length > 0
                    ? `${HINTS[property.type]}: ${property.options.join(', ')}`
                    : HINTS[property.type]
                }
              >
                <ExpressionInput
                  size="sm"
                  aria-label={property.name}
                  value={asText(properties[property.name])}
                  readOnly={readOnly}
                  onChange={(value) => setProperty(property.name, value)}
                />
              </EditorField>
            ) : (
              <Text key={property.name} fontSize="xs" color="fg.muted">
                {property.name} ({property.type.replace('_', ' ')}) is not set by this step.
              </Text>
            ),
          )
        ) : (
          <Text fontSize="xs" color="fg.muted">
            {parentId ? 'Loading the database’s properties…' : 'Pick a database to fill in its properties.'}
          </Text>
        )}
      </Section>

      <EditorField
        path={at('content')}
        label="Page content"
        optional
        helperText="Paragraphs: a blank line starts a new one."
      >
        <ExpressionInput
          multiline
          value={asText(config.content)}
          readOnly={readOnly}
          onChange={(content) => set('content', content === '' ? undefined : content)}
        />
      </EditorField>

      <RetryFields
        at={at}
        value={config.retry}
        onChange={(retry) => set('retry', retry)}
        when="Retries happen on network errors, 5xx and 429 (after the Retry-After Notion sends); each request is retried on its own, so a page is never created twice."
      />
    </Stack>
  );
}

export function notionIssueField(path: IssuePath): IssuePath | undefined {
  const [key, first] = path;
  if (key === 'credentialId' || key === 'content') return [key];
  if (key === 'retry') return retryIssueField(path);
  if (key === 'parent') return first === 'type' ? ['parent', 'type'] : ['parent', 'id'];
  if (key === 'properties') return typeof first === 'string' ? ['properties', first] : ['properties'];
  return undefined;
}
