import { Switch, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { useSetActive, type Workflow } from '../workflow-api';
import { useEditor } from './editor-context';

interface ActiveSwitchProps {
  /** The saved workflow; a new one cannot be switched on before it is saved. */
  workflow: Workflow | null;
  /** Unsaved changes: switching on would make the saved version live, not what is on screen. */
  dirty: boolean;
  /** The version the draft is based on; switching moves it on. */
  version: number;
  /** Saves the draft; null when it could not be saved (the editor says why). */
  save: () => Promise<Workflow | null>;
}

/**
 * The workflow's on/off switch, in the page header because it acts on the saved workflow at once.
 * With unsaved changes, switching on asks to save them first.
 */
export function ActiveSwitch({ workflow, dirty, version, save }: ActiveSwitchProps) {
  const { dispatch } = useEditor();
  const setActive = useSetActive();
  const [confirming, setConfirming] = useState(false);
  const [saving, setSaving] = useState(false);
  const active = setActive.isPending ? setActive.variables.active : (workflow?.active ?? false);

  const switchTo = (id: string, checked: boolean, from: number) =>
    setActive.mutate(
      { id, active: checked },
      { onSuccess: (updated) => dispatch({ type: 'versionBumped', from, to: updated.version }) },
    );

  const saveAndSwitchOn = async () => {
    setSaving(true);
    const saved = await save().finally(() => setSaving(false));
    setConfirming(false);
    if (saved) switchTo(saved.id, true, saved.version);
  };

  return (
    <>
      <Switch.Root
        colorPalette="green"
        // On while asking: cancelling then turns it back off (the box would otherwise stay ticked).
        checked={active || confirming}
        disabled={!workflow || setActive.isPending}
        title={workflow ? undefined : 'Save the workflow to switch it on'}
        onCheckedChange={({ checked }) => {
          if (!workflow) return;
          if (checked && dirty) setConfirming(true);
          else switchTo(workflow.id, checked, version);
        }}
      >
        <Switch.HiddenInput role="switch" />
        <Switch.Control />
        <Switch.Label>Active</Switch.Label>
      </Switch.Root>
      <ConfirmDialog
        open={confirming}
        title="Save and switch on?"
        confirmLabel="Save and switch on"
        pending={saving || setActive.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void saveAndSwitchOn()}
      >
        <Text>
          Switching on makes the saved workflow answer its trigger at once. Your changes on screen are not
          saved yet: save them first so that they are what runs.
        </Text>
      </ConfirmDialog>
    </>
  );
}
