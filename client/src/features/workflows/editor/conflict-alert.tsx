import { Alert, Box, Button, HStack } from '@chakra-ui/react';
import { useState } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { toExportFile } from '../transfer';
import type { Draft } from './editor-state';

/**
 * Shown when a save meets a newer version (another tab, another person, the API). Saving stops;
 * the local draft stays on screen and can be copied before reloading the latest version.
 */
export function ConflictAlert({
  currentVersion,
  draft,
  onReload,
}: {
  currentVersion: number | undefined;
  draft: Draft;
  onReload: () => Promise<void>;
}) {
  const [reloading, setReloading] = useState(false);
  return (
    <Alert.Root status="error" alignItems="start" role="alert">
      <Alert.Indicator />
      <Alert.Content gap="3">
        <Box>
          <Alert.Title>This workflow was changed somewhere else</Alert.Title>
          <Alert.Description>
            {currentVersion !== undefined ? `It is at version ${currentVersion} now. ` : ''}
            Saving would overwrite those changes, so it is paused. Reload to continue from the latest version:
            your unsaved changes are discarded, so copy them first if you want to keep them.
          </Alert.Description>
        </Box>
        <HStack gap="2">
          <Button
            size="sm"
            colorPalette="red"
            loading={reloading}
            onClick={async () => {
              setReloading(true);
              await onReload();
              setReloading(false);
            }}
          >
            Reload
          </Button>
          <CopyButton size="sm" text={toExportFile(draft)} label="Copy my version as JSON">
            Copy my version as JSON
          </CopyButton>
        </HStack>
      </Alert.Content>
    </Alert.Root>
  );
}
