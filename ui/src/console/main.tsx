import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { makeQueryClient } from '@/app/queryClient';
import { ConsoleApp } from './App';
import { ConsoleI18nProvider } from './i18n';
import '@/index.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={makeQueryClient()}>
        <ConsoleI18nProvider>
          <ConsoleApp />
        </ConsoleI18nProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
