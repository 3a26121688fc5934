import { Breadcrumb, Heading, HStack, Stack } from '@chakra-ui/react';
import { Fragment, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';

export interface Crumb {
  label: string;
  to: string;
}

interface PageHeaderProps {
  /** Where this page sits, from the dashboard down: each a link back. */
  trail?: readonly Crumb[];
  title: ReactNode;
  /** Shown next to the title: status, save state, "Live". */
  badges?: ReactNode;
  /** The page's buttons, on the right. */
  actions?: ReactNode;
}

/** Every page's top: the same trail of links back, title and actions, at the same width. */
export function PageHeader({ trail = [], title, badges, actions }: PageHeaderProps) {
  return (
    <Stack gap="2">
      {trail.length > 0 && (
        <Breadcrumb.Root size="sm">
          <Breadcrumb.List>
            {trail.map((crumb, index) => (
              <Fragment key={crumb.to}>
                {index > 0 && <Breadcrumb.Separator />}
                <Breadcrumb.Item minW="0">
                  <Breadcrumb.Link asChild color="fg.muted" truncate maxW="xs">
                    <RouterLink to={crumb.to}>{crumb.label}</RouterLink>
                  </Breadcrumb.Link>
                </Breadcrumb.Item>
              </Fragment>
            ))}
          </Breadcrumb.List>
        </Breadcrumb.Root>
      )}
      <HStack justify="space-between" gap="4" wrap="wrap" align="center" minH="10">
        <HStack gap="3" minW="0" flex="1" wrap="wrap">
          <Heading as="h1" size="2xl" truncate minW="0">
            {title}
          </Heading>
          {badges}
        </HStack>
        {actions && (
          <HStack gap="2" wrap="wrap">
            {actions}
          </HStack>
        )}
      </HStack>
    </Stack>
  );
}
