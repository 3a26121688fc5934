import { Button, type ButtonProps, IconButton } from '@chakra-ui/react';
import { useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard';
import { CheckIcon, CopyIcon } from './icons';
import { toaster } from './ui/toaster';

interface CopyButtonProps extends Omit<ButtonProps, 'onClick' | 'children'> {
  text: string;
  /** The accessible name, e.g. "Copy webhook URL". */
  label: string;
  /** Shown next to the icon; without it the button is icon-only. */
  children?: string;
}

/** Copies `text` and shows a check mark for a moment; says so when the browser refuses. */
export function CopyButton({ text, label, children, ...props }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    if (await copyText(text)) setCopied(true);
    else toaster.error({ title: 'Could not copy', description: 'Select the text and copy it by hand.' });
  };
  const icon = copied ? <CheckIcon color="fg.success" /> : <CopyIcon />;

  if (!children) {
    return (
      <IconButton variant="outline" aria-label={label} title={label} onClick={copy} {...props}>
        {icon}
      </IconButton>
    );
  }
  return (
    <Button variant="outline" aria-label={label} onClick={copy} {...props}>
      {icon}
      {copied ? 'Copied' : children}
    </Button>
  );
}
