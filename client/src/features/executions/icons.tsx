import { createIcon } from '@chakra-ui/react';

const outline = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

export const CopyIcon = createIcon({
  displayName: 'CopyIcon',
  path: (
    <g {...outline}>
      <rect x="9" y="9" width="13" height="13" rx="2" />
      <path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />
    </g>
  ),
});

export const CheckIcon = createIcon({
  displayName: 'CheckIcon',
  path: <path {...outline} d="M20 6 9 17l-5-5" />,
});

export const ChevronRightIcon = createIcon({
  displayName: 'ChevronRightIcon',
  path: <path {...outline} d="m9 18 6-6-6-6" />,
});

export const PlayIcon = createIcon({
  displayName: 'PlayIcon',
  path: <path {...outline} d="M6 4l14 8-14 8z" />,
});

export const HistoryIcon = createIcon({
  displayName: 'HistoryIcon',
  path: (
    <g {...outline}>
      <path d="M3 12a9 9 0 1 0 3-6.7L3 8" />
      <path d="M3 3v5h5M12 7v5l3 2" />
    </g>
  ),
});
