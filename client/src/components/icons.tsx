import { createIcon } from '@chakra-ui/react';

/** Line icons (24×24, stroke, after Lucide's style), drawn here rather than adding an icon package. */
const outline = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

const icon = (displayName: string, d: string) =>
  createIcon({ displayName, path: <path {...outline} d={d} /> });

export const WorkflowIcon = createIcon({
  displayName: 'WorkflowIcon',
  path: (
    <g {...outline}>
      <rect x="3" y="3" width="8" height="8" rx="2" />
      <rect x="13" y="13" width="8" height="8" rx="2" />
      <path d="M7 11v4a2 2 0 0 0 2 2h4" />
    </g>
  ),
});

export const PlusIcon = icon('PlusIcon', 'M12 5v14M5 12h14');
export const TrashIcon = icon('TrashIcon', 'M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6');
export const ArrowUpIcon = icon('ArrowUpIcon', 'M12 19V5M5 12l7-7 7 7');
export const ArrowDownIcon = icon('ArrowDownIcon', 'M12 5v14M19 12l-7 7-7-7');
export const MoreIcon = createIcon({
  displayName: 'MoreIcon',
  path: (
    <g fill="currentColor">
      <circle cx="5" cy="12" r="1.75" />
      <circle cx="12" cy="12" r="1.75" />
      <circle cx="19" cy="12" r="1.75" />
    </g>
  ),
});
export const SearchIcon = createIcon({
  displayName: 'SearchIcon',
  path: (
    <g {...outline}>
      <circle cx="11" cy="11" r="7" />
      <path d="m20 20-3.5-3.5" />
    </g>
  ),
});
export const CopyIcon = createIcon({
  displayName: 'CopyIcon',
  path: (
    <g {...outline}>
      <rect x="9" y="9" width="12" height="12" rx="2" />
      <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
    </g>
  ),
});
export const CheckIcon = icon('CheckIcon', 'M20 6 9 17l-5-5');
export const UploadIcon = icon('UploadIcon', 'M12 15V3M7 8l5-5 5 5M4 15v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4');
export const DownloadIcon = icon(
  'DownloadIcon',
  'M12 3v12M7 10l5 5 5-5M4 15v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4',
);
export const RefreshIcon = icon('RefreshIcon', 'M21 12a9 9 0 1 1-3-6.7L21 8M21 3v5h-5');
export const GlobeIcon = createIcon({
  displayName: 'GlobeIcon',
  path: (
    <g {...outline}>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
    </g>
  ),
});
export const FilterIcon = icon('FilterIcon', 'M3 4h18l-7 8.5V19l-4 2v-8.5z');
export const WebhookIcon = icon(
  'WebhookIcon',
  'M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8',
);
export const BracesIcon = icon(
  'BracesIcon',
  'M8 3H7a2 2 0 0 0-2 2v5a2 2 0 0 1-2 2 2 2 0 0 1 2 2v5a2 2 0 0 0 2 2h1M16 21h1a2 2 0 0 0 2-2v-5a2 2 0 0 1 2-2 2 2 0 0 1-2-2V5a2 2 0 0 0-2-2h-1',
);
export const HistoryIcon = icon('HistoryIcon', 'M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5M12 7v5l3 2');
export const ChevronRightIcon = icon('ChevronRightIcon', 'm9 18 6-6-6-6');
export const PlayIcon = icon('PlayIcon', 'M6 4l14 8-14 8z');
export const SunIcon = createIcon({
  displayName: 'SunIcon',
  path: (
    <g {...outline}>
      <circle cx="12" cy="12" r="4" />
      <path d="M12 2v2M12 20v2M4.93 4.93l1.41 1.41M17.66 17.66l1.41 1.41M2 12h2M20 12h2M6.34 17.66l-1.41 1.41M19.07 4.93l-1.41 1.41" />
    </g>
  ),
});
export const MoonIcon = icon('MoonIcon', 'M12 3a6 6 0 0 0 9 9 9 9 0 1 1-9-9Z');
export const KeyIcon = createIcon({
  displayName: 'KeyIcon',
  path: (
    <g {...outline}>
      <circle cx="7.5" cy="15.5" r="4.5" />
      <path d="m10.7 12.3 9.8-9.8M17 6l3 3M14.5 8.5l2.5 2.5" />
    </g>
  ),
});
export const UserLockIcon = createIcon({
  displayName: 'UserLockIcon',
  path: (
    <g {...outline}>
      <circle cx="9" cy="7" r="4" />
      <path d="M2 21v-1a6 6 0 0 1 9.5-4.9" />
      <rect x="14" y="15" width="8" height="6" rx="1" />
      <path d="M16 15v-2a2 2 0 0 1 4 0v2" />
    </g>
  ),
});
export const HashIcon = icon('HashIcon', 'M4 9h16M4 15h16M10 3 8 21M16 3l-2 18');
export const NotionIcon = createIcon({
  displayName: 'NotionIcon',
  path: (
    <g {...outline}>
      <rect x="4" y="3" width="16" height="18" rx="2" />
      <path d="M9 16V8l6 8V8" />
    </g>
  ),
});
export const SlackIcon = createIcon({
  displayName: 'SlackIcon',
  path: (
    <g {...outline}>
      <rect x="13" y="2" width="3" height="8" rx="1.5" />
      <rect x="8" y="14" width="3" height="8" rx="1.5" />
      <rect x="14" y="13" width="8" height="3" rx="1.5" />
      <rect x="2" y="8" width="8" height="3" rx="1.5" />
    </g>
  ),
});
export const MailIcon = createIcon({
  displayName: 'MailIcon',
  path: (
    <g {...outline}>
      <rect x="2" y="4" width="20" height="16" rx="2" />
      <path d="m22 7-10 6L2 7" />
    </g>
  ),
});
export const ShieldIcon = icon('ShieldIcon', 'M12 22s8-3.5 8-10V5l-8-3-8 3v7c0 6.5 8 10 8 10ZM9 12l2 2 4-4');
export const LockIcon = createIcon({
  displayName: 'LockIcon',
  path: (
    <g {...outline}>
      <rect x="4" y="11" width="16" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </g>
  ),
});
export const EditIcon = icon('EditIcon', 'M12 20h9M16.5 3.5a2.12 2.12 0 0 1 3 3L7 19l-4 1 1-4Z');
export const ClockIcon = icon('ClockIcon', 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18ZM12 7v5l3 2');
